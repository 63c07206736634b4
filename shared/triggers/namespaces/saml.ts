/**
 * `api.samlResponse`: attributes and settings of the SAML response the caller builds. Every
 * setter is validated with Auth0's size limits; the result lists only what actions changed.
 */
import { z } from 'zod';
import { InvalidApiCallError } from '../../errors.ts';
import { type ChainState, defineCommand, type Namespace } from '../framework.ts';
import { jsonBytes, nonEmptyString } from '../values.ts';

export interface SamlSection {
  [key: string]: unknown;
  saml_response: { attributes: Record<string, unknown>; settings: Record<string, unknown> };
}

const KB = 1024;
const sizedString = (max: number) =>
  z.string({ error: 'must be a string' }).refine((v) => Buffer.byteLength(v, 'utf8') <= max, {
    error: `must be at most ${max} bytes`,
  });

/** Setter name -> the schema of its single argument, built on first use. */
const SETTINGS = {
  setAudience: () => sizedString(2 * KB),
  setRecipient: () => sizedString(2 * KB),
  setDestination: () => sizedString(2 * KB),
  setCreateUpnClaim: () => z.boolean({ error: 'must be a boolean' }),
  setPassthroughClaimsWithNoMapping: () => z.boolean({ error: 'must be a boolean' }),
  setMapUnknownClaimsAsIs: () => z.boolean({ error: 'must be a boolean' }),
  setMapIdentities: () => z.boolean({ error: 'must be a boolean' }),
  setSignatureAlgorithm: () =>
    z.enum(['rsa-sha256', 'rsa-sha1'], { error: "must be 'rsa-sha256' or 'rsa-sha1'" }),
  setDigestAlgorithm: () => z.enum(['sha256', 'sha1'], { error: "must be 'sha256' or 'sha1'" }),
  setLifetimeInSeconds: () => z.number({ error: 'must be a number' }).int().positive(),
  setSignResponse: () => z.boolean({ error: 'must be a boolean' }),
  setNameIdentifierFormat: () => sizedString(KB / 2),
  setNameIdentifierProbes: () => z.array(sizedString(KB / 2)).max(10, { error: 'at most 10 probes' }),
  setAuthnContextClassRef: () => sizedString(KB / 2),
  setSigningCert: () => sizedString(4 * KB),
  setIncludeAttributeNameFormat: () => z.boolean({ error: 'must be a boolean' }),
  setTypedAttributes: () => z.boolean({ error: 'must be a boolean' }),
  setEncryptionCert: () => sizedString(4 * KB),
  setEncryptionPublicKey: () => sizedString(4 * KB),
  setCert: () => sizedString(4 * KB),
  setKey: () => sizedString(4 * KB),
  setRelayState: () => sizedString(2 * KB),
  setIssuer: () => sizedString(2 * KB),
  setEncryptionAlgorithm: () =>
    z.enum(['aes256-gcm', 'aes256-cbc'], {
      error: "must be 'aes256-gcm' or 'aes256-cbc'",
    }),
} as const;

type SettingName = keyof typeof SETTINGS;
const SETTING_NAMES = Object.keys(SETTINGS) as [SettingName, ...SettingName[]];
const settingSchemas = new Map<SettingName, z.ZodType>();
const settingSchema = (name: SettingName): z.ZodType => {
  let schema = settingSchemas.get(name);
  if (!schema) {
    schema = SETTINGS[name]();
    settingSchemas.set(name, schema);
  }
  return schema;
};

/** `setLifetimeInSeconds` -> `lifetime_in_seconds`, the key the caller reads. */
const settingKey = (setter: string) =>
  setter
    .slice(3)
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();

export const SAML_LIMITS = { maxAttributes: 100, maxNameBytes: KB, maxValueBytes: 2 * KB };

const setAttribute = defineCommand({
  type: 'samlResponse.setAttribute',
  fields: () =>
    z.object({
      attribute: nonEmptyString('attribute').refine(
        (v) => Buffer.byteLength(v, 'utf8') <= SAML_LIMITS.maxNameBytes,
        {
          error: 'attribute name must be at most 1 kB',
        },
      ),
      // Auth0's schema: a scalar, null (removes the attribute) or an array of scalars.
      value: z
        .union(
          [
            z.string(),
            z.number(),
            z.boolean(),
            z.null(),
            z.array(z.union([z.string(), z.number(), z.boolean()])),
          ],
          { error: 'value must be a string, number, boolean, null or an array of those' },
        )
        .refine((v) => (jsonBytes(v) ?? 0) <= SAML_LIMITS.maxValueBytes, {
          error: 'value must be at most 2 kB',
        }),
    }),
  apply: (state: ChainState<SamlSection>, { attribute, value }) => {
    // null/undefined removes the attribute from the assertion; the caller sees null.
    state.result.saml_response.attributes[attribute] = value ?? null;
  },
});

const setSetting = defineCommand({
  type: 'samlResponse.set',
  fields: () =>
    z
      .object({ setting: z.enum(SETTING_NAMES, { error: 'unknown SAML setting' }), value: z.unknown() })
      .superRefine((f, ctx) => {
        const parsed = settingSchema(f.setting).safeParse(f.value);
        if (!parsed.success) {
          for (const issue of parsed.error.issues)
            ctx.addIssue({ code: 'custom', path: ['value'], message: issue.message });
        }
      }),
  apply: (state: ChainState<SamlSection>, { setting, value }) => {
    state.result.saml_response.settings[settingKey(setting)] = value;
  },
});

export function samlResponse(): Namespace<SamlSection> {
  return {
    initial: () => ({ saml_response: { attributes: {}, settings: {} } }),
    commands: [setAttribute, setSetting],
    build: (ctx) => {
      const api: Record<string, unknown> = {
        setAttribute(attribute: string, value: unknown) {
          const attributes = new Set(
            ctx.recorded.filter((c) => c.type === setAttribute.type).map((c) => c.attribute),
          );
          attributes.add(attribute);
          if (attributes.size > SAML_LIMITS.maxAttributes) {
            throw new InvalidApiCallError(
              `api.samlResponse.setAttribute: at most ${SAML_LIMITS.maxAttributes} attributes.`,
            );
          }
          ctx.record(setAttribute, { attribute, value: value ?? null });
          return ctx.api;
        },
      };
      for (const name of SETTING_NAMES) {
        api[name] = (value: unknown) => {
          try {
            ctx.record(setSetting, { setting: name, value });
          } catch (error) {
            throw new InvalidApiCallError(
              `api.samlResponse.${name}: ${(error as Error).message.replace(/^api\.samlResponse\.set: (value: )?/, '')}`,
            );
          }
          return ctx.api;
        };
      }
      return api;
    },
  };
}
