/** The `api` object a trigger builds: namespaces made on first use, behaving as plain properties. */
import { describe, expect, it } from 'vitest';
import { createCache } from '../../../shared/triggers/cache.ts';
import { defineTriggerApi, type Namespace } from '../../../shared/triggers/framework.ts';

function counted() {
  const built: string[] = [];
  const namespace =
    (name: string): (() => Namespace<Record<string, unknown>>) =>
    () => ({
      commands: [],
      build: () => {
        built.push(name);
        return { name };
      },
    });
  const trigger = defineTriggerApi({
    id: 'post-login',
    version: 'v1',
    mode: 'sync',
    entrypoints: { execute: 'onExecutePostLogin' },
    namespaces: { first: namespace('first'), second: namespace('second'), third: namespace('third') },
  });
  const session = trigger.createApi({ phase: 'execute', event: {}, cache: createCache({}).api });
  return { api: session.api as Record<string, unknown>, built };
}

describe('an action’s api', () => {
  it('lists every namespace in order, and builds one only when the action reads it', () => {
    const { api, built } = counted();
    expect(Object.keys(api)).toEqual(['first', 'second', 'third']);
    expect(built).toEqual([]);
    expect(api.second).toEqual({ name: 'second' });
    expect(api.second).toBe(api.second);
    expect(built).toEqual(['second']);
    expect(Object.getOwnPropertyDescriptor(api, 'second')).toMatchObject({
      writable: true,
      enumerable: true,
    });
  });

  it('lets the action replace, delete or freeze namespaces as with plain properties', () => {
    const { api, built } = counted();
    api.first = null;
    delete api.second;
    expect(api.first).toBeNull();
    expect('second' in api).toBe(false);
    Object.freeze(api);
    expect(api.third).toEqual({ name: 'third' });
    expect(api.third).toBe(api.third);
    expect(built).toEqual(['third']);
  });
});
