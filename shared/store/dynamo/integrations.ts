/**
 * The integration catalog: one item per integration (listed through gsi1) and its immutable
 * releases under the same partition, sorted by number. Global: no tenant in any key.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { IntegrationRecord, IntegrationReleaseRecord } from '../../integrations/model.ts';
import type { IntegrationStore } from '../types.ts';
import {
  assignFields,
  conditional,
  isConditionFailure,
  keys,
  queryAll,
  type Table,
  toRecord,
} from './table.ts';

export function dynamoIntegrations(table: Table): IntegrationStore {
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

    async nextReleaseNumber(integrationId) {
      const { Attributes } = await conditional(
        () =>
          table.doc.send(
            new UpdateCommand({
              TableName: table.name,
              Key: keys.integration(integrationId),
              UpdateExpression: 'ADD release_counter :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':one': 1 },
              ReturnValues: 'UPDATED_NEW',
            }),
          ),
        () => new NotFoundError('That integration does not exist.'),
      );
      return Attributes?.release_counter as number;
    },

    async recordRelease(integrationId, latest, listing) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {
        ':latest': latest,
        ':number': latest.version,
        ':now': new Date().toISOString(),
      };
      const sets = ['latest_release = :latest', 'updated_at = :now'];
      assignFields(listing, { sets, names, values });
      try {
        await table.doc.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.integration(integrationId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            // Two releases racing: the higher number wins whatever order they land in.
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(latest_release) OR latest_release.version < :number)',
            ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
            ExpressionAttributeValues: values,
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async putRelease(release) {
      await conditional(() =>
        table.doc.send(
          new PutCommand({
            TableName: table.name,
            Item: { ...keys.integrationRelease(release.integration_id, release.version), ...release },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },

    async getRelease(integrationId, version) {
      const { Item } = await table.doc.send(
        new GetCommand({
          TableName: table.name,
          ConsistentRead: true,
          Key: keys.integrationRelease(integrationId, version),
        }),
      );
      return toRecord<IntegrationReleaseRecord>(Item);
    },

    listReleases: (integrationId) =>
      queryAll<IntegrationReleaseRecord>((ExclusiveStartKey) =>
        table.doc.send(
          new QueryCommand({
            TableName: table.name,
            ConsistentRead: true,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': `INTEGRATION#${integrationId}`, ':prefix': 'RELEASE#' },
            ScanIndexForward: false,
            ExclusiveStartKey,
          }),
        ),
      ),
  };
}
