/**
 * Actions pin module versions. On write, the pins the caller sends (ids, or the Deploy CLI's
 * name and number) are resolved to exact versions; on build, the pinned versions are read back
 * as the sources the bundle includes.
 */
import type { DraftContext } from '../actions/context.ts';
import { BuildFailedError } from '../build/build-errors.ts';
import { ValidationError } from '../errors.ts';
import type { ModuleRef } from '../model/actions.ts';
import type { ModuleVersionRecord } from '../model/modules.ts';

export interface PinInput {
  module_id?: string | undefined;
  module_version_id?: string | undefined;
  module_name?: string | undefined;
  module_version_number?: number | undefined;
}

export async function resolvePins(
  ctx: DraftContext,
  tenantId: string,
  input: readonly PinInput[],
): Promise<ModuleRef[]> {
  const modules = input.some((p) => p.module_id === undefined) ? await ctx.store.modules.list(tenantId) : [];
  const pins: ModuleRef[] = [];
  for (const [index, pin] of input.entries()) {
    const where = `modules.${index}`;
    const moduleId = pin.module_id ?? modules.find((m) => m.name === pin.module_name)?.id;
    const module = moduleId ? await ctx.store.modules.get(tenantId, moduleId) : undefined;
    if (!module) {
      throw new ValidationError(`${where}: no module matches '${pin.module_id ?? pin.module_name}'.`);
    }
    const versions = await ctx.store.moduleVersions.list(tenantId, module.id);
    const version =
      pin.module_version_id !== undefined
        ? versions.find((v) => v.id === pin.module_version_id)
        : versions.find((v) => v.version_number === pin.module_version_number);
    if (!version) {
      throw new ValidationError(
        `${where}: module '${module.name}' has no version ${pin.module_version_id ?? pin.module_version_number}` +
          (versions.length === 0 ? ' (it was never published: publish it first).' : '.'),
      );
    }
    if (pins.some((p) => p.module_id === module.id)) {
      throw new ValidationError(`${where}: module '${module.name}' is listed twice; pin one version.`);
    }
    pins.push({
      module_id: module.id,
      module_name: module.name,
      module_version_id: version.id,
      module_version_number: version.version_number,
    });
  }
  return pins;
}

/** The pinned versions, in pin order; a version deleted since it was pinned fails the build clearly. */
export async function loadPinnedModules(
  ctx: DraftContext,
  tenantId: string,
  pins: readonly ModuleRef[],
): Promise<ModuleVersionRecord[]> {
  const versions = await Promise.all(
    pins.map((pin) => ctx.store.moduleVersions.get(tenantId, pin.module_id, pin.module_version_id)),
  );
  const missing = pins.filter((_, i) => versions[i] === undefined);
  if (missing.length > 0) {
    throw new BuildFailedError(
      missing.map((pin) => ({
        id: 'action_module_not_found',
        msg: `Module actions:${pin.module_name} version ${pin.module_version_number} no longer exists: pin a published version of it.`,
      })),
    );
  }
  return versions as ModuleVersionRecord[];
}
