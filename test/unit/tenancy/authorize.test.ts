/**
 * The bearer-token authorizer (shared/tenancy/authorize.ts) over the in-memory token store, with
 * the test's clock: which tenant a token is, its scopes, its expiry, and how long a lookup is kept.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { InsufficientScopeError, UnauthorizedError } from '../../../shared/errors.ts';
import { createMemoryStore } from '../../../shared/memory/store.ts';
import type { TokenStore } from '../../../shared/ports/store.ts';
import { type Authorizer, createAuthorizer } from '../../../shared/tenancy/authorize.ts';
import { generateToken, hashToken } from '../../../shared/tenancy/tokens.ts';
import { type ManualClock, manualClock } from '../../support/manual-clock.ts';

/** How long the authorizer keeps a lookup (authorize.ts's CACHE_MS). */
const LOOKUP_CACHE_MS = 5_000;

let tokens: TokenStore;
let clock: ManualClock;
let authorizer: Authorizer;

beforeEach(() => {
  tokens = createMemoryStore().tokens;
  clock = manualClock();
  authorizer = createAuthorizer(tokens, clock);
});

async function issued(scopes: string[], expiresInSeconds?: number): Promise<string> {
  const token = generateToken();
  await tokens.put({
    hash: hashToken(token),
    tenant_id: 'tenant-a',
    scopes,
    name: 'test token',
    created_at: new Date(clock()).toISOString(),
    ...(expiresInSeconds === undefined ? {} : { expires_at: Math.floor(clock() / 1000) + expiresInSeconds }),
  });
  return token;
}

const refusal = (authorization: string | undefined) =>
  authorizer.authenticate(authorization).then(
    () => undefined,
    (error: unknown) => error,
  );

describe('a bearer token', () => {
  it('is its tenant, with its scopes', async () => {
    const token = await issued(['execute:triggers', 'read:logs']);

    const principal = await authorizer.authenticate(`Bearer ${token}`);

    expect(principal.tenantId).toBe('tenant-a');
    expect([...principal.scopes]).toEqual(['execute:triggers', 'read:logs']);
  });

  it('is read from an Authorization header whatever the case of "Bearer", with trailing space', async () => {
    const token = await issued(['execute:triggers']);

    expect((await authorizer.authenticate(`bearer ${token}  `)).tenantId).toBe('tenant-a');
  });

  it('is refused when missing, malformed or unknown (UnauthorizedError)', async () => {
    for (const header of [
      undefined,
      '',
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Bearer a b',
      `Bearer ${generateToken()}`,
    ]) {
      expect(await refusal(header), String(header)).toBeInstanceOf(UnauthorizedError);
    }
  });

  it('stops working the second it expires, even while its lookup is cached', async () => {
    const token = await issued(['execute:triggers'], 2);
    await authorizer.authenticate(`Bearer ${token}`);

    clock.advance(2_000);

    expect(await refusal(`Bearer ${token}`)).toMatchObject({
      name: 'UnauthorizedError',
      code: 'token_expired',
    });
  });

  it('is looked up once for a few seconds: a revoked token keeps working until then, or until it is forgotten', async () => {
    const token = await issued(['execute:triggers']);
    await authorizer.authenticate(`Bearer ${token}`);
    await tokens.delete(hashToken(token));

    expect((await authorizer.authenticate(`Bearer ${token}`)).tenantId).toBe('tenant-a');
    clock.advance(LOOKUP_CACHE_MS);
    expect(await refusal(`Bearer ${token}`)).toBeInstanceOf(UnauthorizedError);

    const other = await issued(['execute:triggers']);
    await authorizer.authenticate(`Bearer ${other}`);
    await tokens.delete(hashToken(other));
    authorizer.forget(other);
    expect(await refusal(`Bearer ${other}`)).toBeInstanceOf(UnauthorizedError);
  });
});

describe('a principal’s scopes', () => {
  it('pass a check when they hold any of the scopes asked for, and fail it with InsufficientScopeError otherwise', async () => {
    const principal = await authorizer.authenticate(`Bearer ${await issued(['read:actions'])}`);

    expect(() => authorizer.requireScope(principal, 'update:actions', 'read:actions')).not.toThrow();
    expect(() => authorizer.requireScope(principal, 'execute:triggers')).toThrow(InsufficientScopeError);
  });

  it('make an operator only with the operator scope', async () => {
    const tenantAdmin = await authorizer.authenticate(
      `Bearer ${await issued(['read:actions', 'update:actions'])}`,
    );
    const operator = await authorizer.authenticate(`Bearer ${await issued(['operator'])}`);

    expect(() => authorizer.requireOperator(tenantAdmin)).toThrow(InsufficientScopeError);
    expect(() => authorizer.requireOperator(operator)).not.toThrow();
  });
});
