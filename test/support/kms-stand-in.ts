/**
 * A small KMS speaking the real JSON protocol (`x-amz-target: TrentService.<Op>`), so the real SDK
 * client and the KMS cipher run unchanged against it: GenerateDataKey and Decrypt, each data key
 * wrapped with a master key per key id and bound to the encryption context, as KMS binds it.
 * It records every call (tests count how often KMS is asked). Listens on a random free port.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KMSClient } from '@aws-sdk/client-kms';

export const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1111-2222';
export const OTHER_KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/3333-4444';

export interface KmsStandIn {
  // biome-ignore lint/suspicious/noExplicitAny: request bodies of the KMS JSON protocol
  calls: Array<{ op: string; body: Record<string, any> }>;
  /** How many calls of one operation it has answered. */
  count(op: string): number;
  /** An SDK client pointed at it. */
  client: KMSClient;
  stop(): Promise<void>;
}

/** Starts the stand-in with two keys, KEY_ARN and OTHER_KEY_ARN. */
export async function startKmsStandIn(): Promise<KmsStandIn> {
  const masters = new Map([KEY_ARN, OTHER_KEY_ARN].map((arn) => [arn, randomBytes(32)]));
  const calls: KmsStandIn['calls'] = [];
  const wrap = (keyId: string, plaintext: Buffer, context: unknown) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', masters.get(keyId) as Buffer, iv);
    cipher.setAAD(Buffer.from(JSON.stringify(context ?? {})));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from(keyId.padEnd(64)), iv, cipher.getAuthTag(), body]);
  };
  const unwrap = (keyId: string, blob: Buffer, context: unknown) => {
    if (blob.subarray(0, 64).toString().trim() !== keyId) throw new Error('IncorrectKeyException');
    const decipher = createDecipheriv('aes-256-gcm', masters.get(keyId) as Buffer, blob.subarray(64, 76));
    decipher.setAAD(Buffer.from(JSON.stringify(context ?? {})));
    decipher.setAuthTag(blob.subarray(76, 92));
    try {
      return Buffer.concat([decipher.update(blob.subarray(92)), decipher.final()]);
    } catch {
      throw new Error('InvalidCiphertextException');
    }
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const op = String(req.headers['x-amz-target']).replace('TrentService.', '');
    calls.push({ op, body });
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(payload));
    };
    try {
      if (op === 'GenerateDataKey') {
        const plaintext = randomBytes(32);
        return reply(200, {
          KeyId: body.KeyId,
          Plaintext: plaintext.toString('base64'),
          CiphertextBlob: wrap(body.KeyId, plaintext, body.EncryptionContext).toString('base64'),
        });
      }
      if (op === 'Decrypt') {
        const plaintext = unwrap(
          body.KeyId,
          Buffer.from(body.CiphertextBlob, 'base64'),
          body.EncryptionContext,
        );
        return reply(200, { KeyId: body.KeyId, Plaintext: plaintext.toString('base64') });
      }
      reply(400, { __type: 'UnsupportedOperationException', message: op });
    } catch (error) {
      reply(400, { __type: (error as Error).message, message: 'refused' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new KMSClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return {
    calls,
    count: (op) => calls.filter((c) => c.op === op).length,
    client,
    async stop() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
