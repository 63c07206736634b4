/**
 * Helpers for the trigger specs: open one action's `api` directly (no chain, no runtime), apply
 * what it recorded the way the chain does, and check argument errors and event schemas.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../../shared/errors.ts';
import { type CacheSnapshot, createCache } from '../../../shared/triggers/cache.ts';
import type {
  ChainState,
  CommandEffect,
  JsonObject,
  Phase,
  TriggerDefinition,
} from '../../../shared/triggers/framework.ts';

/** The repository root, and Auth0's published sample events next to it (not part of the repo). */
export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const auth0SamplesDir = path.resolve(repoRoot, '../shared/reference/auth0-sample-events');

/** A fixed clock: 2026-11-23T10:00:00Z. */
export const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);

// biome-ignore lint/suspicious/noExplicitAny: an action's `api` is as dynamic in the specs as in action code.
export type AnyApi = any;

export interface OpenApiOptions {
  event?: JsonObject;
  phase?: Phase;
  continueState?: string;
  now?: () => number;
  cache?: CacheSnapshot;
}

/**
 * Opens the `api` one action gets. `event` is the action's own copy (some calls update it at
 * once); `apply()` applies what it recorded to `state`, the chain's view, and returns the effects.
 */
export function openApi<R extends JsonObject>(trigger: TriggerDefinition<R>, options: OpenApiOptions = {}) {
  const now = options.now ?? (() => NOW);
  const parsed = trigger.parseEvent(options.event ?? trigger.sampleEvent());
  const event = structuredClone(parsed);
  const cache = createCache(options.cache ?? {}, now);
  const session = trigger.createApi({
    phase: options.phase ?? 'execute',
    event,
    cache: cache.api,
    ...(options.continueState === undefined ? {} : { continueState: options.continueState }),
    now,
  });
  const state: ChainState<R> = { event: structuredClone(parsed), result: trigger.initialResult() };
  return {
    api: session.api as AnyApi,
    event,
    session,
    cacheOps: cache.ops,
    state,
    apply(): (CommandEffect | undefined)[] {
      return session.commands.map((command) => trigger.applyCommand(state, command));
    },
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The call throws a TypeError whose message starts with the method's name (and says `detail`). */
export function expectArgumentError(call: () => unknown, method: string, detail?: string | RegExp): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `${method} should have thrown`).toBeInstanceOf(TypeError);
  const message = (thrown as Error).message;
  expect(message).toMatch(new RegExp(`^${escapeRegExp(method)}: `));
  if (typeof detail === 'string') expect(message).toContain(detail);
  else if (detail) expect(message).toMatch(detail);
}

/** The async call rejects with a TypeError naming the method. */
export async function expectArgumentRejection(call: () => Promise<unknown>, method: string): Promise<void> {
  await expect(call()).rejects.toThrow(TypeError);
  await expect(call()).rejects.toThrow(new RegExp(`^${escapeRegExp(method)}: `));
}

type Mutation = (event: AnyApi) => void;

/**
 * The event-schema spec every trigger shares: its own sample and Auth0's published sample are
 * accepted unchanged, unknown fields are kept, and each listed omission is refused by name.
 */
export function describeEventSchema(trigger: TriggerDefinition, required: Record<string, Mutation>): void {
  describe('parseEvent', () => {
    it('accepts its own sample event', () => {
      const sample = trigger.sampleEvent();
      expect(trigger.parseEvent(sample)).toEqual(sample);
    });

    it('keeps unknown extra fields, at the top level and nested', () => {
      const event: AnyApi = trigger.sampleEvent();
      event.caller_extension = { region: 'eu-west-2' };
      event.request.x_forwarded = ['10.0.0.1'];
      const parsed: AnyApi = trigger.parseEvent(event);
      expect(parsed.caller_extension).toEqual({ region: 'eu-west-2' });
      expect(parsed.request.x_forwarded).toEqual(['10.0.0.1']);
    });

    it('refuses something that is not an event', () => {
      for (const input of [null, 'event', [], 42]) {
        expect(() => trigger.parseEvent(input)).toThrow(InvalidEventError);
      }
    });

    for (const [field, mutate] of Object.entries(required)) {
      it(`refuses an event without ${field}, naming the field`, () => {
        const event = trigger.sampleEvent();
        mutate(event);
        let thrown: unknown;
        try {
          trigger.parseEvent(event);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(InvalidEventError);
        const error = thrown as InvalidEventError;
        expect(error.code).toBe('invalid_event');
        expect(error.issues.some((issue) => issue.startsWith(`${field}:`))).toBe(true);
        expect(error.message).toContain(`Invalid ${trigger.id} event`);
        expect(error.message).toContain(field);
      });
    }
  });

  const file = path.join(auth0SamplesDir, `${trigger.id}.json`);
  describe.runIf(existsSync(file))("Auth0's published sample event", () => {
    it('is accepted unchanged, every field kept', () => {
      const sample = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
      const untouched = structuredClone(sample);
      expect(trigger.parseEvent(sample)).toEqual(untouched);
      expect(sample).toEqual(untouched);
    });
  });
}

/** Auth0's sample event for a trigger, or undefined in a clone without the reference folder. */
export function auth0Sample(trigger: string): JsonObject | undefined {
  const file = path.join(auth0SamplesDir, `${trigger}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as JsonObject) : undefined;
}

/**
 * `api.cache` on a trigger: the trigger's cache snapshot, written through result objects (never
 * exceptions), the writes recorded for the actions after (details in cache.test.ts).
 */
export function describeTriggerCache(trigger: TriggerDefinition): void {
  describe('api.cache', () => {
    it('reads the trigger cache and records writes for the actions after, answering with result objects', () => {
      const h = openApi(trigger, { cache: { seen: { value: '1', expires_at: NOW + 60_000 } } });
      expect(Object.keys(h.api.cache).sort()).toEqual(['delete', 'get', 'set']);
      expect(h.api.cache.get('seen')).toEqual({ value: '1', expires_at: NOW + 60_000 });
      expect(h.api.cache.get('missing')).toBeUndefined();
      expect(h.api.cache.set('token', 'abc', { ttl: 30_000 })).toEqual({
        type: 'success',
        record: { value: 'abc', expires_at: NOW + 30_000 },
      });
      expect(h.api.cache.delete('seen')).toEqual({ type: 'success' });
      expect(h.api.cache.delete('seen')).toEqual({ type: 'error', code: 'CacheKeyDoesNotExist' });
      expect(h.api.cache.set('k'.repeat(65), 'v')).toEqual({ type: 'error', code: 'CacheKeySizeExceeded' });
      expect(h.cacheOps).toEqual([
        { op: 'set', key: 'token', value: 'abc', expires_at: NOW + 30_000 },
        { op: 'delete', key: 'seen' },
      ]);
      expect(h.session.commands).toEqual([]);
    });
  });
}
