/** Request bodies of the Actions Modules endpoints, validated like the actions ones. */
import { z } from 'zod';
import { LIMITS } from '../actions/limits.ts';
import { code, namedList, npmName, secret } from '../actions/schemas.ts';
import { EXACT_VERSION } from '../model/actions.ts';

/** `require('actions:<name>')` must be able to spell it. */
const moduleName = z
  .string()
  .min(1, { error: 'name must not be empty' })
  .max(128, { error: 'name must be at most 128 characters' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
    error: 'name may contain letters, digits, ".", "_" and "-", starting with a letter or digit',
  });

/**
 * A module version is immutable and every action pinning it must bundle the same packages, so
 * its dependencies are exact versions: a range or a tag could resolve differently per action.
 */
const moduleDependency = z.strictObject({
  name: npmName,
  version: z.string().regex(EXACT_VERSION, {
    error: 'module dependencies must be pinned to an exact version (e.g. 1.6.0), not a range or tag',
  }),
  registry_url: z.string().max(2048).optional(),
});

const secrets = namedList(secret, { max: LIMITS.secretsPerAction, owner: 'a module', items: 'secrets' });
const dependencies = namedList(moduleDependency, {
  max: LIMITS.dependenciesPerAction,
  owner: 'a module',
  items: 'dependencies',
});

export const createModuleBody = z.strictObject({
  name: moduleName,
  code,
  secrets: secrets.optional(),
  dependencies: dependencies.optional(),
  api_version: z.string().max(16).optional(),
  /** Publish version 1 right away. */
  publish: z.boolean().optional(),
});

export const updateModuleBody = z.strictObject({
  code: code.optional(),
  secrets: secrets.optional(),
  dependencies: dependencies.optional(),
});

export const rollbackModuleBody = z.strictObject({ module_version_id: z.string().min(1).max(256) });
