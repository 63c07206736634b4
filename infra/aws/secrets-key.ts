/**
 * The installation's KMS key. It encrypts the table at rest and the action-secrets envelope
 * (shared/aws/kms-cipher.ts), and the two uses are granted apart: any function that reads the table
 * may use the key only through DynamoDB, while direct use for the envelope is granted one by one.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SECRETS_ENCRYPTION_CONTEXT } from '../../shared/aws/kms-cipher.ts';

export interface HookchainKeyProps {
  description: string;
  /** Keep the key when the stack is deleted (data encrypted under it stays readable). */
  retain: boolean;
}

/** `kms:EncryptionContext:hookchain:purpose = action-secrets`: the envelope's calls and no others. */
const ENVELOPE_CONDITION = {
  StringEquals: Object.fromEntries(
    Object.entries(SECRETS_ENCRYPTION_CONTEXT).map(([key, value]) => [`kms:EncryptionContext:${key}`, value]),
  ),
};

export class HookchainKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: HookchainKeyProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
  }

  /** Decrypt action secrets (the dispatcher, the async worker, the management API). */
  grantSecretsDecrypt(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.key.keyArn],
      conditions: ENVELOPE_CONDITION,
    });
  }

  /** Encrypt new action secrets (the management API). */
  grantSecretsEncrypt(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['kms:GenerateDataKey'],
      resourceArns: [this.key.keyArn],
      conditions: ENVELOPE_CONDITION,
    });
  }

  /** What DynamoDB needs from a caller's identity to serve a table encrypted under this key. */
  grantUseThroughDynamoDb(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      // Spelled out rather than `ReEncrypt*` / `GenerateDataKey*`: no key-pair generation.
      actions: [
        'kms:Decrypt',
        'kms:Encrypt',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:DescribeKey',
      ],
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
    });
  }
}
