import { describe, expect, it } from 'vitest';
import { createStaleReads, type DynamoCall } from '../../../infra/local/dynamodb-stale-reads.ts';

const WINDOW_MS = 1_000;

/** A DynamoDB that knows one table keyed pk/sk and answers every item as missing. */
const dynamo: DynamoCall = async (target) => {
  const body =
    target === 'DynamoDB_20120810.DescribeTable'
      ? {
          Table: {
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
          },
        }
      : {};
  return { status: 200, headers: {}, body: Buffer.from(JSON.stringify(body)) };
};

const put = (sk: string) =>
  Buffer.from(JSON.stringify({ TableName: 'platform', Item: { pk: { S: 'T#1' }, sk: { S: sk } } }));

describe('the AWS-faithful DynamoDB front: eventual consistency', () => {
  it('forgets keys written once and never read again once they are out of the window', async () => {
    let clock = 1_000_000;
    const staleReads = createStaleReads({ staleReadMs: WINDOW_MS, now: () => clock });
    // Execution records: each key written once, none read back.
    for (let i = 0; i < 100; i++) {
      await staleReads.handle('DynamoDB_20120810.PutItem', put(`EXEC#${i}`), dynamo);
      clock += 100;
    }
    // Only the writes of the last window are still held.
    expect(staleReads.trackedKeys()).toBeLessThanOrEqual(WINDOW_MS / 100 + 1);

    clock += WINDOW_MS;
    await staleReads.handle('DynamoDB_20120810.PutItem', put('EXEC#last'), dynamo);
    expect(staleReads.trackedKeys()).toBe(1);
  });
});
