/** The global integration catalog, in memory (DynamoDB: shared/aws/dynamo/integrations.ts). */
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { IntegrationRecord, IntegrationReleaseRecord } from '../../model/integrations.ts';
import type { IntegrationStore } from '../../ports/store.ts';
import { byString, RecordTable } from './records.ts';
import { advancedPointer, bumpedCounter, numberedVersions } from './versioned.ts';

/** The catalog is global: one scope for every integration's releases. */
const CATALOG = 'catalog';

export function memoryIntegrations(): IntegrationStore {
  const integrations = new RecordTable<IntegrationRecord>();
  const releases = numberedVersions<IntegrationReleaseRecord>((r) => [CATALOG, r.integration_id, r.version]);
  return {
    async create(integration) {
      if (integrations.get(integration.id)) {
        throw new ConflictError(`Integration '${integration.id}' already exists.`);
      }
      integrations.put(integration.id, integration);
    },

    get: async (integrationId) => integrations.get(integrationId),

    list: async () =>
      integrations.select(
        () => true,
        byString((integration) => integration.id),
      ),

    async nextReleaseNumber(integrationId) {
      const current = integrations.get(integrationId);
      if (!current) throw new NotFoundError('That integration does not exist.');
      const [updated, number] = bumpedCounter(current, 'release_counter');
      integrations.put(integrationId, updated);
      return number;
    },

    async recordRelease(integrationId, latest, listing) {
      const updated = advancedPointer(
        integrations.get(integrationId),
        'latest_release',
        (pointer) => pointer.version,
        latest,
        listing,
      );
      if (updated) integrations.put(integrationId, updated);
    },

    putRelease: async (release) => releases.put(release),
    getRelease: async (integrationId, version) => releases.getByNumber(CATALOG, integrationId, version),
    listReleases: async (integrationId) => releases.list(CATALOG, integrationId),
  };
}
