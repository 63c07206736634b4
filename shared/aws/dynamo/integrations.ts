/**
 * The integration catalog: one item per integration (listed through gsi1) and its immutable
 * releases under the same partition, sorted by number. Global: no tenant in any key.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { IntegrationRecord, IntegrationReleaseRecord } from '../../model/integrations.ts';
import type { IntegrationStore } from '../../ports/store.ts';
import { conditional, keys, nextCounterValue, queryAll, type Table, toRecord } from './table.ts';
import { advancePointer, numberedVersions } from './versioned.ts';

/** The catalog is global: one scope for every integration's releases. */
const CATALOG = 'catalog';

export function dynamoIntegrations(table: Table): IntegrationStore {
  const releases = numberedVersions<IntegrationReleaseRecord>(table, {
    partition: (_catalog, integrationId) => keys.integration(integrationId).pk,
    key: (_catalog, integrationId, version) => keys.integrationRelease(integrationId, version),
    locate: (release) => [CATALOG, release.integration_id, release.version],
    sortKeyPrefix: 'RELEASE#',
  });
  return {
    async create(integration) {
      await conditional(
        () =>
          table.doc.send(
            new PutCommand({
              TableName: table.name,
              Item: {
                ...keys.integration(integration.id),
                gsi1pk: 'INTEGRATIONS',
                gsi1sk: integration.id,
                ...integration,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        () => new ConflictError(`Integration '${integration.id}' already exists.`),
      );
    },

    async get(integrationId) {
      const { Item } = await table.doc.send(
        new GetCommand({ TableName: table.name, ConsistentRead: true, Key: keys.integration(integrationId) }),
      );
      return toRecord<IntegrationRecord>(Item);
    },

    list: () =>
      queryAll<IntegrationRecord>((ExclusiveStartKey) =>
        table.doc.send(
          new QueryCommand({
            TableName: table.name,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': 'INTEGRATIONS' },
            ExclusiveStartKey,
          }),
        ),
      ),

    nextReleaseNumber: (integrationId) =>
      nextCounterValue(
        table,
        keys.integration(integrationId),
        'release_counter',
        () => new NotFoundError('That integration does not exist.'),
      ),

    // Two releases racing: the higher number wins whatever order they land in.
    async recordRelease(integrationId, latest, listing) {
      await advancePointer(table, keys.integration(integrationId), {
        attribute: 'latest_release',
        numberField: 'version',
        value: latest,
        with: listing,
      });
    },

    putRelease: releases.put,
    getRelease: (integrationId, version) => releases.getByNumber(CATALOG, integrationId, version),
    listReleases: (integrationId) => releases.list(CATALOG, integrationId),
  };
}
