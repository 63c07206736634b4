/**
 * Request bodies of the integration catalog: what an operator publishes (the integration's files
 * as JSON, `configuration.json` flattened in) and what a tenant sends to install or upgrade.
 */
import { z } from 'zod';
import { LIMITS } from '../actions/limits.ts';
import { code, npmName, RUNTIMES } from '../actions/schemas.ts';
import { EXACT_VERSION } from '../model/actions.ts';
import { TRIGGER_IDS } from '../triggers/ids.ts';

const FIELD_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

const option = z.strictObject({
  value: z.string().min(1).max(LIMITS.secretValueLength),
  label: z.string().min(1).max(256),
});

const field = z
  .strictObject({
    name: z.string().regex(FIELD_NAME, { error: 'names must be ALL_CAPS_SNAKE_CASE (e.g. API_BASE_URL)' }),
    label: z.string().min(1, { error: 'label must not be empty' }).max(128),
    description: z.string().min(1, { error: 'description must not be empty' }).max(1024),
    default_value: z.string().max(LIMITS.secretValueLength).optional(),
    deploy_value: z.string().max(LIMITS.secretValueLength).optional(),
    options: z.array(option).min(1).max(100).optional(),
  })
  .refine((f) => !f.options || new Set(f.options.map((o) => o.value)).size === f.options.length, {
    error: 'option values must be unique',
  })
  .refine(
    (f) => !f.options || f.default_value === undefined || f.options.some((o) => o.value === f.default_value),
    {
      error: 'default_value must be one of the options',
    },
  );

const fields = (kind: string) =>
  z
    .array(field)
    .max(LIMITS.secretsPerAction, { error: `at most ${LIMITS.secretsPerAction} ${kind} fields` })
    .default([]);

const dependency = z.strictObject({
  name: npmName,
  version: z.string().regex(EXACT_VERSION, {
    error: 'integration dependencies must be pinned to an exact version (e.g. 0.27.2)',
  }),
  registry_url: z.string().max(2048).optional(),
});

const triggerRef = z.strictObject({
  id: z.enum(TRIGGER_IDS, { error: `trigger id must be one of ${TRIGGER_IDS.join(', ')}` }),
  version: z.string().regex(/^v\d+$/, { error: "trigger version must look like 'v3'" }),
});

export const publishIntegrationBody = z
  .strictObject({
    /** The catalog slug: publishing under an existing name adds a release to it. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {
      error: 'name must be 1-64 lowercase letters, digits or dashes (the catalog slug)',
    }),
    display_name: z.string().min(3).max(128).optional(),
    description: z.string().max(4096).optional(),
    short_description: z.string().max(256).optional(),
    partner: z.string().max(128).optional(),
    supported_triggers: z
      .array(triggerRef)
      .length(1, { error: 'supported_triggers must list exactly one trigger' }),
    runtime: z.enum(RUNTIMES).optional(),
    code: code.refine((value) => value.trim() !== '', { error: 'code must not be empty' }),
    dependencies: z
      .array(dependency)
      .max(LIMITS.dependenciesPerAction, {
        error: `an integration may have at most ${LIMITS.dependenciesPerAction} dependencies`,
      })
      .default([]),
    secrets: fields('secrets'),
    configuration: fields('configuration'),
    notes: z.string().max(4096).optional(),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    for (const [kind, list] of [
      ['secrets', body.secrets],
      ['configuration', body.configuration],
    ] as const) {
      for (const [index, f] of list.entries()) {
        if (seen.has(f.name)) {
          ctx.addIssue({
            code: 'custom',
            path: [kind, index, 'name'],
            message: `'${f.name}' is declared twice (names are unique across secrets and configuration)`,
          });
        }
        seen.add(f.name);
      }
    }
    const deps = body.dependencies.map((d) => d.name);
    if (new Set(deps).size !== deps.length) {
      ctx.addIssue({ code: 'custom', path: ['dependencies'], message: 'dependency names must be unique' });
    }
  });

export type PublishIntegrationInput = z.output<typeof publishIntegrationBody>;

/** Values by field name, as an installer types them in. */
const values = z.record(z.string(), z.string().max(LIMITS.secretValueLength));

export const installIntegrationBody = z.strictObject({
  /** The action's name; the integration's display name when omitted. */
  name: z.string().trim().min(1).max(LIMITS.actionNameLength).optional(),
  /** Installs this release instead of the latest. */
  version: z.number().int().min(1).optional(),
  secrets: values.optional(),
  configuration: values.optional(),
});

export const upgradeBody = z.strictObject({
  /** The release to move to; the latest when omitted. */
  version: z.number().int().min(1).optional(),
  /** Values for fields the new release adds (or changes); the rest carry over. */
  secrets: values.optional(),
  configuration: values.optional(),
});
