/** Commands name actions the way people do: by name, or by id when they have one. */
import type { Action, HookchainClient } from '../shared/client/index.ts';
import { UsageError } from './errors.ts';

export async function resolveAction(client: HookchainClient, ref: string): Promise<Action> {
  const byName = await client.findActionByName(ref);
  if (byName) return client.getAction(byName.id);
  const byId = await client.probeAction(ref);
  if (byId) return byId;
  throw new UsageError(
    `No action named '${ref}'.`,
    'See the names with `hookchain actions list`, or create it with `hookchain actions create`.',
  );
}
