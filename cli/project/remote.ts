/** What the server holds, in the shape push and pull compare: actions, modules and every trigger's bindings. */

import type { Binding, HookchainClient } from '../../shared/client/index.ts';
import { TRIGGER_IDS } from '../../shared/triggers/ids.ts';
import type { RemoteState } from './diff.ts';

export async function fetchRemote(client: HookchainClient): Promise<RemoteState> {
  const [actions, modules, ...bindings] = await Promise.all([
    client.listActions(),
    client.listModules(),
    ...TRIGGER_IDS.map((trigger) => client.getBindings(trigger)),
  ]);
  return {
    actions,
    modules,
    bindings: new Map(TRIGGER_IDS.map((trigger, i) => [trigger, (bindings[i] ?? []) as Binding[]])),
  };
}
