/**
 * Alarms on what breaks the platform on AWS and nowhere else: a function failing or throttled
 * (a throttled dispatcher is a refused login), the API answering 5XX or slowly, DynamoDB
 * throttling, and the account's Lambda code storage filling up (the builder publishes
 * `Hookchain/LambdaCodeStorageUsedPercent`, one point per build). The queues' own alarms (age of
 * the oldest message, anything in a DLQ) live with the queues (queue.ts).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  type Alarm,
  ComparisonOperator,
  type IAlarmAction,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** The builder's EMF metric (namespace, name; dimensions: Powertools' service, and the stage). */
export const CODE_STORAGE_METRIC = {
  namespace: 'Hookchain',
  metricName: 'LambdaCodeStorageUsedPercent',
  service: 'hookchain-builder',
  dimension: 'Stage',
} as const;
/** Lambda's code storage (75 GB per region by default) is shared by every action version ever built. */
export const CODE_STORAGE_ALARM_PERCENT = 80;
/** p99 latency of the API above this for 15 minutes: logins are slow. */
export const API_P99_LATENCY_MS = 5000;

export interface AlarmTopicProps {
  topicName: string;
  /** Encrypts the notifications; CloudWatch is allowed to use it for this. */
  key: IKey;
  /** Subscribed to the topic (confirm the e-mail AWS sends). */
  email?: string;
}

/** The SNS topic the alarms notify when the installer gives no alarm action of their own. */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly action: IAlarmAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      topicName: props.topicName,
      masterKey: props.key,
      enforceSSL: true,
    });
    // CloudWatch publishes to an encrypted topic only with the key's data keys.
    props.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }
}

export interface PlatformAlarmsProps {
  stage: string;
  /** The platform functions, by role (`dispatcher`, ...). */
  functions: Record<string, IFunction>;
  api: RestApi;
  table: Table;
  action: IAlarmAction;
}

export class PlatformAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: PlatformAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const any = { threshold: 1, evaluationPeriods: 1 };
    const add = (alarm: Alarm) => {
      alarm.addAlarmAction(props.action);
      this.alarms.push(alarm);
    };

    for (const [role, fn] of Object.entries(props.functions)) {
      add(
        fn.metricErrors({ period, statistic: Stats.SUM }).createAlarm(this, `${role}-errors`, {
          ...any,
          alarmDescription: `${fn.functionName}: an invocation failed (an unhandled error or a timeout); see its log group.`,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
      add(
        fn.metricThrottles({ period, statistic: Stats.SUM }).createAlarm(this, `${role}-throttles`, {
          ...any,
          alarmDescription: `${fn.functionName} was throttled: raise its concurrency (or the account's), or find what starves it.`,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    const stage = props.api.deploymentStage;
    add(
      stage.metricServerError({ period, statistic: Stats.SUM }).createAlarm(this, 'api-5xx', {
        threshold: 5,
        evaluationPeriods: 1,
        alarmDescription:
          'The API answered 5XX (a function failed, timed out or was throttled); see the access log.',
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    add(
      stage.metricLatency({ period, statistic: Stats.percentile(99) }).createAlarm(this, 'api-latency', {
        threshold: API_P99_LATENCY_MS,
        evaluationPeriods: 3,
        alarmDescription: `The API's p99 latency stayed above ${API_P99_LATENCY_MS} ms for 15 minutes.`,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    // On-demand tables throttle too: a hot partition, or traffic past twice the previous peak.
    const throttled = (metricName: string) =>
      props.table.metric(metricName, { period, statistic: Stats.SUM });
    add(
      new MathExpression({
        expression: 'reads + writes',
        usingMetrics: { reads: throttled('ReadThrottleEvents'), writes: throttled('WriteThrottleEvents') },
        period,
        label: 'Throttled DynamoDB reads and writes',
      }).createAlarm(this, 'table-throttles', {
        ...any,
        alarmDescription: `${props.table.tableName}: DynamoDB throttled reads or writes.`,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    add(
      new Metric({
        namespace: CODE_STORAGE_METRIC.namespace,
        metricName: CODE_STORAGE_METRIC.metricName,
        dimensionsMap: { service: CODE_STORAGE_METRIC.service, [CODE_STORAGE_METRIC.dimension]: props.stage },
        period: Duration.hours(1),
        statistic: Stats.MAXIMUM,
      }).createAlarm(this, 'code-storage', {
        threshold: CODE_STORAGE_ALARM_PERCENT,
        evaluationPeriods: 1,
        alarmDescription: `Lambda code storage is ${CODE_STORAGE_ALARM_PERCENT}% full: builds will soon fail. Delete unused actions or ask AWS for more.`,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No point: no build in the hour.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
