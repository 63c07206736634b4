/**
 * Request bodies and queries of the management API, validated like Auth0 does: unknown fields are
 * refused by name ("Additional properties not allowed: x"), limits give clear messages.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { TRIGGER_IDS } from '../triggers/ids.ts';
import { LIMITS } from './limits.ts';

const triggerRef = z.strictObject({
  id: z.enum(TRIGGER_IDS, { error: `trigger id must be one of ${TRIGGER_IDS.join(', ')}` }),
  version: z.string().regex(/^v\d+$/, { error: "trigger version must look like 'v3'" }),
});

export const npmName = z
  .string()
  .min(1)
  .max(214)
  .regex(/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, {
    error: 'must be a valid npm package name',
  });

const dependency = z.strictObject({
  name: npmName,
  version: z.string().max(256).default('latest'),
  registry_url: z.string().max(2048).optional(),
});

export const secret = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(LIMITS.secretNameLength, {
      error: `secret names must be at most ${LIMITS.secretNameLength} characters`,
    })
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
      error: 'secret names may contain letters, digits and _, not starting with a digit',
    }),
  value: z
    .string()
    .max(LIMITS.secretValueLength, {
      error: `secret values must be at most ${LIMITS.secretValueLength} characters`,
    })
    .optional(),
});

export const code = z.string().refine((value) => Buffer.byteLength(value, 'utf8') <= LIMITS.codeBytes, {
  error: `code must be at most ${LIMITS.codeBytes / 1024} kB`,
});

export const RUNTIMES = ['node12', 'node16', 'node18', 'node22'] as const;

/**
 * An action's or a module's secrets or dependencies: at most `max`, each name once. `owner` and
 * `items` word the errors ("an action may have at most 10 secrets").
 */
export function namedList<T extends z.ZodType<{ name: string }>>(
  item: T,
  { max, owner, items }: { max: number; owner: string; items: 'secrets' | 'dependencies' },
) {
  const noun = items === 'secrets' ? 'secret' : 'dependency';
  return z
    .array(item)
    .max(max, { error: `${owner} may have at most ${max} ${items}` })
    .refine((list) => new Set(list.map((entry) => entry.name)).size === list.length, {
      error: `${noun} names must be unique`,
    });
}

const secrets = namedList(secret, { max: LIMITS.secretsPerAction, owner: 'an action', items: 'secrets' });
const dependencies = namedList(dependency, {
  max: LIMITS.dependenciesPerAction,
  owner: 'an action',
  items: 'dependencies',
});

/**
 * A pinned module: Auth0's `{module_id, module_version_id}`, or the Deploy CLI's
 * `{module_name, module_version_number}`; the response fields may be echoed back unchanged.
 */
const moduleRef = z
  .strictObject({
    // Ids and names are short; a longer one names nothing (and the store's keys are bounded).
    module_id: z.string().min(1).max(256).optional(),
    module_version_id: z.string().min(1).max(256).optional(),
    module_name: z.string().min(1).max(256).optional(),
    module_version_number: z.number().int().min(1).optional(),
  })
  .refine(
    (ref) =>
      (ref.module_id !== undefined && ref.module_version_id !== undefined) ||
      (ref.module_name !== undefined && ref.module_version_number !== undefined),
    { error: 'each module needs module_id and module_version_id (or module_name and module_version_number)' },
  );

const modules = z.array(moduleRef).max(LIMITS.modulesPerAction, {
  error: `an action may use at most ${LIMITS.modulesPerAction} modules`,
});

const name = z
  .string()
  .trim()
  .min(1, { error: 'name must not be empty' })
  .max(LIMITS.actionNameLength, { error: `name must be at most ${LIMITS.actionNameLength} characters` })
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  .regex(/^[^\u0000-\u001f]+$/, { error: 'name must not contain control characters' });

export const createActionBody = z.strictObject({
  name,
  supported_triggers: z
    .array(triggerRef)
    .length(1, { error: 'supported_triggers must list exactly one trigger' }),
  code: code.optional(),
  dependencies: dependencies.optional(),
  runtime: z.enum(RUNTIMES).optional(),
  secrets: secrets.optional(),
  modules: modules.optional(),
  deploy: z.boolean().optional(),
});

export const updateActionBody = z.strictObject({
  name: name.optional(),
  supported_triggers: z
    .array(triggerRef)
    .length(1, { error: 'supported_triggers must list exactly one trigger' })
    .optional(),
  code: code.optional(),
  dependencies: dependencies.optional(),
  runtime: z.enum(RUNTIMES).optional(),
  secrets: secrets.optional(),
  modules: modules.optional(),
  /** Installed integrations only: values for the fields their release declares. */
  configuration: z.record(z.string(), z.string()).optional(),
});

export const rollbackBody = z.strictObject({ update_draft: z.boolean().optional() });

export const testBody = z.strictObject({ payload: z.record(z.string(), z.unknown()) });

const bindingRef = z.strictObject({
  type: z.enum(['action_id', 'action_name', 'binding_id'], {
    error: "ref.type must be 'action_id', 'action_name' or 'binding_id'",
  }),
  // An action id, name or binding id: none is longer (and the store's keys are bounded).
  value: z
    .string()
    .min(1, { error: 'ref.value must not be empty' })
    .max(256, { error: 'ref.value must be at most 256 characters' }),
});

export const updateBindingsBody = z.strictObject({
  bindings: z
    .array(
      z.strictObject({
        ref: bindingRef,
        display_name: z.string().max(LIMITS.actionNameLength).optional(),
        secrets: z
          .array(secret)
          .max(0, { error: 'binding-level secrets are not supported; set secrets on the action' })
          .optional(),
      }),
    )
    .max(LIMITS.bindingsPerTrigger, {
      error: `at most ${LIMITS.bindingsPerTrigger} actions may be bound to a trigger`,
    }),
});

const booleanString = z.enum(['true', 'false']).transform((v) => v === 'true');
const pageNumber = z.coerce.number().int().min(0, { error: 'page must be 0 or more' });
const perPage = z.coerce.number().int().min(1).max(100, { error: 'per_page must be between 1 and 100' });

export const paging = { page: pageNumber.optional(), per_page: perPage.optional() };

export const listActionsQuery = z.strictObject({
  triggerId: z.enum(TRIGGER_IDS).optional(),
  actionName: z.string().optional(),
  deployed: booleanString.optional(),
  installed: booleanString.optional(),
  ...paging,
});

export const pagingQuery = z.strictObject(paging);

export const deleteActionQuery = z.strictObject({ force: booleanString.optional() });

/** Parses with the schema or throws a 400 naming every problem the way Auth0 words them. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return `Additional properties not allowed: ${issue.keys.join(', ')}`;
    const path = issue.path.join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new ValidationError(
    `Invalid ${what}: ${messages.join('; ')}`,
    what === 'query' ? 'invalid_query_string' : 'invalid_body',
  );
}
