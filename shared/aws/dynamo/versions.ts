/** Immutable action versions, one item each under the action's partition, sorted by number. */
import type { VersionRecord } from '../../model/actions.ts';
import type { VersionStore } from '../../ports/store.ts';
import { keys, type Table } from './table.ts';
import { numberedVersions } from './versioned.ts';

export function dynamoVersions(table: Table): VersionStore {
  return numberedVersions<VersionRecord>(table, {
    partition: keys.versions,
    key: keys.version,
    locate: (version) => [version.tenant_id, version.action_id, version.number],
    sortKeyPrefix: 'VERSION#',
  });
}
