/**
 * The chain resolver (shared/dispatch/chain-resolver.ts) over the in-memory store: what a chain
 * resolves to, and how long a resolved chain is kept (the clock is the test's).
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CHAIN_CACHE_MS,
  type ChainResolver,
  createChainResolver,
} from '../../../shared/dispatch/chain-resolver.ts';
import type { ActionRecord } from '../../../shared/model/actions.ts';
import type { Store } from '../../../shared/ports/store.ts';
import {
  createMemoryDispatch,
  type MemoryDispatch,
  removeActionBundles,
} from '../../support/memory-dispatch.ts';

const CODE = 'exports.onExecutePostLogin = async () => {};';

let hc: MemoryDispatch;
let resolver: ChainResolver;

beforeEach(async () => {
  hc = await createMemoryDispatch();
  resolver = createChainResolver(hc.store, { now: hc.clock });
});

afterEach(() => hc.restoreConsole());
afterAll(removeActionBundles);

const names = async (tenantId = hc.tenantId) =>
  (await resolver.resolve(tenantId, 'post-login')).actions.map((a) => a.action_name);

/** The store, with its flow reads counted (and, while `failNext` is set, the next one failing). */
function countingStore(store: Store) {
  const counter = { flowReads: 0, failNext: false };
  const counted: Store = {
    ...store,
    flows: {
      ...store.flows,
      get: async (tenantId, triggerId) => {
        counter.flowReads++;
        if (counter.failNext) {
          counter.failNext = false;
          throw new Error('ProvisionedThroughputExceededException');
        }
        return store.flows.get(tenantId, triggerId);
      },
    },
  };
  return { counted, counter };
}

describe('a chain resolved', () => {
  it('is the bound actions in binding order, each with its live version’s function and secrets', async () => {
    const first = await hc.deployAction({ name: 'first', code: CODE, secrets: { KEY: 'value' } });
    const second = await hc.deployAction({ name: 'second', code: CODE });
    await hc.bind('post-login', [second, first]);

    const chain = await resolver.resolve(hc.tenantId, 'post-login');

    expect(chain.revision).toBe(1);
    expect(chain.actions).toEqual([
      {
        action_id: second.id,
        action_name: 'second',
        version_id: second.deployed?.version_id,
        version_number: 1,
        function_name: second.deployed?.function_name,
        secrets_ciphertext: null,
      },
      {
        action_id: first.id,
        action_name: 'first',
        version_id: first.deployed?.version_id,
        version_number: 1,
        function_name: first.deployed?.function_name,
        // Still encrypted: decrypting is the dispatcher's, once per version (version-secrets.ts).
        secrets_ciphertext: first.secrets.ciphertext,
      },
    ]);
  });

  it('is empty for a trigger nothing was ever bound to', async () => {
    expect(await resolver.resolve(hc.tenantId, 'post-login')).toEqual({ revision: 0, actions: [] });
  });

  it('skips a bound action that was deleted since, or was never deployed', async () => {
    const kept = await hc.deployAction({ name: 'kept', code: CODE });
    const deleted = await hc.deployAction({ name: 'deleted', code: CODE });
    const { deployed: _live, ...neverDeployed }: ActionRecord = {
      ...kept,
      id: 'act-draft-only',
      name: 'draft-only',
    };
    await hc.store.actions.create(neverDeployed);
    await hc.bind('post-login', [deleted, neverDeployed, kept]);
    await hc.store.actions.delete(hc.tenantId, deleted);

    expect(await names()).toEqual(['kept']);
  });

  it('is the asking tenant’s own chain', async () => {
    const theirs = await hc.deployAction({ name: 'theirs', code: CODE });
    await hc.bind('post-login', [theirs]);

    expect(await names('tenant-b')).toEqual([]);
  });
});

describe('the resolver’s cache', () => {
  it('keeps a chain for its lifetime: a binding change is not seen before it ends, and is seen after', async () => {
    const first = await hc.deployAction({ name: 'first', code: CODE });
    const second = await hc.deployAction({ name: 'second', code: CODE });
    await hc.bind('post-login', [first]);
    expect(await names()).toEqual(['first']);

    await hc.bind('post-login', [first, second]);
    hc.clock.advance(CHAIN_CACHE_MS - 1);
    expect(await names()).toEqual(['first']);

    hc.clock.advance(1);
    expect(await names()).toEqual(['first', 'second']);
  });

  it('sees a deploy at once after invalidate (what chainsChanged calls)', async () => {
    const action = await hc.deployAction({ name: 'action', code: CODE });
    await hc.bind('post-login', [action]);
    expect((await resolver.resolve(hc.tenantId, 'post-login')).actions[0]?.version_number).toBe(1);

    await hc.redeploy(action, `${CODE}\n// v2`);
    expect((await resolver.resolve(hc.tenantId, 'post-login')).actions[0]?.version_number).toBe(1);

    resolver.invalidate();
    expect((await resolver.resolve(hc.tenantId, 'post-login')).actions[0]?.version_number).toBe(2);
  });

  it('keeps chains per tenant and trigger', async () => {
    const login = await hc.deployAction({ name: 'login', code: CODE });
    await hc.bind('post-login', [login]);
    expect(await names()).toEqual(['login']);

    expect((await resolver.resolve(hc.tenantId, 'credentials-exchange')).actions).toEqual([]);
    expect(await names('tenant-b')).toEqual([]);
  });

  it('makes one load of concurrent misses', async () => {
    const { counted, counter } = countingStore(hc.store);
    const shared = createChainResolver(counted, { now: hc.clock });

    const [a, b] = await Promise.all([
      shared.resolve(hc.tenantId, 'post-login'),
      shared.resolve(hc.tenantId, 'post-login'),
    ]);

    expect(a).toBe(b);
    expect(counter.flowReads).toBe(1);
    await shared.resolve(hc.tenantId, 'post-login');
    expect(counter.flowReads).toBe(1);
  });

  it('does not keep a failed load: the next resolve reads again', async () => {
    const { counted, counter } = countingStore(hc.store);
    const flaky = createChainResolver(counted, { now: hc.clock });
    counter.failNext = true;

    await expect(flaky.resolve(hc.tenantId, 'post-login')).rejects.toThrow(
      'ProvisionedThroughputExceededException',
    );
    expect(await flaky.resolve(hc.tenantId, 'post-login')).toEqual({ revision: 0, actions: [] });
    expect(counter.flowReads).toBe(2);
  });
});
