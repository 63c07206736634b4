/**
 * Building blocks of trigger event schemas. Objects are loose: unknown fields are kept, because
 * Auth0 adds fields over time and callers may send their own. Only what Hookchain or typical
 * actions rely on is typed; everything else passes through untouched.
 */
import { z } from 'zod';

const record = z.record(z.string(), z.unknown());
const optionalString = z.string().optional();

export const requestSchema = z.looseObject({
  ip: optionalString,
  asn: optionalString,
  hostname: optionalString,
  method: optionalString,
  language: optionalString,
  user_agent: optionalString,
  query: record.optional(),
  body: record.optional(),
  geoip: z.looseObject({}).optional(),
});

export const tenantSchema = z.looseObject({ id: z.string() });

export const clientSchema = z.looseObject({
  client_id: z.string(),
  name: optionalString,
  metadata: record.optional(),
});

export const connectionSchema = z.looseObject({
  id: optionalString,
  name: optionalString,
  strategy: optionalString,
  metadata: record.optional(),
});

const metadata = record.nullable().optional();

/** The user profile as Auth0 sends it. Only `user_id` is guaranteed, and only once the user exists. */
export const userSchema = z.looseObject({
  user_id: optionalString,
  email: optionalString,
  email_verified: z.boolean().optional(),
  username: optionalString,
  name: optionalString,
  phone_number: optionalString,
  app_metadata: metadata,
  user_metadata: metadata,
  identities: z.array(z.looseObject({})).optional(),
  groups: z.array(z.union([z.string(), z.looseObject({ name: z.string() })])).optional(),
});

export const existingUserSchema = userSchema.extend({ user_id: z.string().min(1) });

export const transactionSchema = z.looseObject({
  id: optionalString,
  correlation_id: optionalString,
  protocol: optionalString,
  state: optionalString,
  prompt: z.union([z.array(z.string()), z.string()]).optional(),
  requested_scopes: z.array(z.string()).optional(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

/** Hookchain fills these itself for each action; a caller's values are replaced. */
export const injectedFields = {
  secrets: z.record(z.string(), z.string()).optional(),
  configuration: z.record(z.string(), z.string()).optional(),
};

export const baseEventFields = {
  request: requestSchema,
  tenant: tenantSchema.optional(),
  transaction: transactionSchema.optional(),
  custom_domain: z.looseObject({}).optional(),
  security_context: z.looseObject({}).optional(),
  ...injectedFields,
};
