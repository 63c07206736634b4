/**
 * The bootstrap operator token of an AWS installation. CloudFormation generates it into Secrets
 * Manager (nobody ever sees it in a template or a log); the management function registers its
 * hash on cold start, so the first operator can create tenants with nothing but the secret.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Store } from '../ports/store.ts';
import { issueToken, OPERATOR_TENANT } from '../tenancy/service.ts';
import { hashToken } from '../tenancy/tokens.ts';

export const BOOTSTRAP_OPERATOR_TOKEN_NAME = 'bootstrap operator (Secrets Manager)';

export async function readSecretString(client: SecretsManagerClient, secretId: string): Promise<string> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const value = SecretString?.trim();
  if (!value) throw new Error(`The secret ${secretId} holds no string: put the operator token in it.`);
  return value;
}

/** Registers the token for the operator pseudo-tenant unless it is already; true when it registered. */
export async function registerOperatorToken(store: Store, token: string): Promise<boolean> {
  if (await store.tokens.find(hashToken(token))) return false;
  await issueToken(store, { tenant_id: OPERATOR_TENANT, name: BOOTSTRAP_OPERATOR_TOKEN_NAME, token });
  return true;
}

/**
 * Runs `register` once per container. A failure is reported and retried by the next call, so a
 * transient Secrets Manager error never takes the management API down for tenants.
 */
export function onceUntilSuccess(register: () => Promise<unknown>, onError: (error: unknown) => void) {
  let done: Promise<void> | undefined;
  return (): Promise<void> => {
    done ??= register().then(
      () => undefined,
      (error: unknown) => {
        done = undefined;
        onError(error);
      },
    );
    return done;
  };
}

export function secretsManagerOperatorToken(
  store: Store,
  secretArn: string,
  client: SecretsManagerClient = new SecretsManagerClient({}),
): () => Promise<boolean> {
  return async () => registerOperatorToken(store, await readSecretString(client, secretArn));
}
