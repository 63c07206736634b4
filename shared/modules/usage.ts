/**
 * Which actions use a module. Drafts and live versions both carry their pins on the action item,
 * so one query of the tenant's actions answers it: no scan of versions.
 */
import type { ActionRecord, ModuleRef, TriggerRef } from '../model/actions.ts';

export interface ModuleUse {
  action_id: string;
  action_name: string;
  supported_triggers: TriggerRef[];
  /** The pin of the live version, or of the draft when only the draft pins the module. */
  pin: ModuleRef;
  where: 'deployed' | 'draft';
}

/** Every action whose live version or draft pins a version of the module (live pin first). */
export function moduleUses(actions: readonly ActionRecord[], moduleId: string): ModuleUse[] {
  return actions.flatMap((action) => {
    const live = action.deployed?.modules?.find((m) => m.module_id === moduleId);
    const draft = action.modules?.find((m) => m.module_id === moduleId);
    const pin = live ?? draft;
    if (!pin) return [];
    return [
      {
        action_id: action.id,
        action_name: action.name,
        supported_triggers: action.supported_triggers,
        pin: {
          module_id: pin.module_id,
          module_name: pin.module_name,
          module_version_id: pin.module_version_id,
          module_version_number: pin.module_version_number,
        },
        where: live ? ('deployed' as const) : ('draft' as const),
      },
    ];
  });
}

/** Module version ids pinned by any draft or live version: the ones pruning must keep. */
export function pinnedVersionIds(actions: readonly ActionRecord[]): Set<string> {
  const ids = new Set<string>();
  for (const action of actions) {
    for (const pin of [...(action.modules ?? []), ...(action.deployed?.modules ?? [])])
      ids.add(pin.module_version_id);
  }
  return ids;
}
