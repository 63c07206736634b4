/**
 * The single table (shared/aws/dynamo): on-demand, point-in-time recovery, TTL on `expires_at`,
 * encrypted under the installation's key, protected from deletion outside development stages.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PLATFORM_RESOURCES } from '../shared/resources.ts';
import type { HookchainKey } from './secrets-key.ts';

/** Executions and continue states carry their expiry (epoch seconds) here; readers filter on it too. */
export const TTL_ATTRIBUTE = 'expires_at';

/** Exactly what the store does: item reads and writes, queries, batch reads. No scans, no table admin. */
const DATA_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
];

export interface HookchainTableProps {
  tableName: string;
  key: HookchainKey;
  /** Deletion protection on, and the table kept when the stack is deleted. */
  protect: boolean;
}

export class HookchainTable extends Construct {
  readonly table: Table;
  private readonly key: HookchainKey;

  constructor(scope: Construct, id: string, props: HookchainTableProps) {
    super(scope, id);
    const layout = PLATFORM_RESOURCES.table;
    this.key = props.key;
    this.table = new Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: layout.partitionKey, type: AttributeType.STRING },
      sortKey: { name: layout.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key.key,
      deletionProtection: props.protect,
      removalPolicy: props.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of layout.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }
  }

  /**
   * Item-level access to the table and its indexes, and the key through DynamoDB only. (The
   * table's own `grantReadWriteData` would also grant the key directly, for any purpose.)
   */
  grantData(grantee: IGrantable): Grant {
    this.key.grantUseThroughDynamoDb(grantee);
    return Grant.addToPrincipal({
      grantee,
      actions: DATA_ACTIONS,
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/*`],
    });
  }
}
