/**
 * A work queue with its dead-letter queue and two alarms: work waiting too long (the consumer is
 * failing or throttled) and anything at all in the DLQ (a message exhausted its retries).
 */
import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  ComparisonOperator,
  type IAlarmAction,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface WorkQueueProps {
  queueName: string;
  /**
   * The consuming function's timeout. The visibility timeout is six times that, as Lambda
   * recommends, so a message is not redelivered while a throttled batch is still being retried.
   */
  consumerTimeout: Duration;
  /** Deliveries before a message is parked in the DLQ. */
  maxReceiveCount: number;
  /** Alarm when the oldest message has waited longer than this. */
  maxMessageAge: Duration;
  /** Where the alarms go (an SNS topic, ...); none by default. */
  alarmAction?: IAlarmAction;
}

export interface ConsumerOptions {
  batchSize: number;
  /**
   * Concurrent invocations the event-source mapping may start (2 to 1000): the cap that keeps a
   * burst of queued work from taking the concurrency logins need.
   */
  maxConcurrency: number;
  maxBatchingWindow?: Duration;
}

export class WorkQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly oldestMessageAlarm: Alarm;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      queueName: `${props.queueName}-dlq`,
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, 'Queue', {
      queueName: props.queueName,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });

    this.oldestMessageAlarm = this.queue
      .metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: Stats.MAXIMUM })
      .createAlarm(this, 'OldestMessageAlarm', {
        alarmDescription: `Messages in ${props.queueName} wait longer than ${props.maxMessageAge.toHumanString()}: is its consumer failing or throttled?`,
        threshold: props.maxMessageAge.toSeconds(),
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    this.deadLetterAlarm = this.deadLetterQueue
      .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM })
      .createAlarm(this, 'DeadLetterAlarm', {
        alarmDescription: `${props.queueName}-dlq holds messages that exhausted their retries: inspect, then redrive.`,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    if (props.alarmAction) {
      this.oldestMessageAlarm.addAlarmAction(props.alarmAction);
      this.deadLetterAlarm.addAlarmAction(props.alarmAction);
    }
  }

  /** Lambda polls the queue; failed records of a batch are retried alone (ReportBatchItemFailures). */
  consumeWith(fn: IFunction, options: ConsumerOptions): void {
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: options.batchSize,
        maxConcurrency: options.maxConcurrency,
        reportBatchItemFailures: true,
        ...(options.maxBatchingWindow ? { maxBatchingWindow: options.maxBatchingWindow } : {}),
      }),
    );
  }
}
