/**
 * `api.user.setAppMetadata` / `setUserMetadata`. Changes from every action are merged into one
 * change set for the caller to write once (`null` deletes a key); later actions see them in
 * `event.user` (Auth0's documented behaviour). `undefined` drops a pending change, so nothing is written.
 */
import { z } from 'zod';
import { InvalidApiCallError } from '../../errors.ts';
import { type ChainState, type CommandSpec, defineCommand, type Namespace } from '../framework.ts';
import { isPlainObject, jsonBytes, jsonValue, lazy, nonEmptyString, objectAt } from '../values.ts';

export interface UserMetadataSection {
  [key: string]: unknown;
  user: { app_metadata: Record<string, unknown>; user_metadata: Record<string, unknown> };
}

/** Auth0 caps each metadata object written per session at 32 kB. */
export const METADATA_MAX_BYTES = 32 * 1024;

type Kind = 'app_metadata' | 'user_metadata';

const fields = lazy(() =>
  z
    .object({
      key: nonEmptyString('key'),
      value: jsonValue().optional(),
      discard: z.literal(true).optional(),
    })
    .refine((f) => f.discard === true || f.value !== undefined, { error: 'value is required' }),
);

function metadataSpec(type: string, kind: Kind): CommandSpec<UserMetadataSection> {
  return defineCommand({
    type,
    fields,
    apply: (state: ChainState<UserMetadataSection>, { key, value, discard }) => {
      const changes = state.result.user[kind];
      if (discard) {
        delete changes[key];
        return;
      }
      changes[key] = value;
      const visible = objectAt(objectAt(state.event, 'user'), kind);
      if (value === null) delete visible[key];
      else visible[key] = value;
    },
  });
}

export function user(): Namespace<UserMetadataSection> {
  const setApp = metadataSpec('user.setAppMetadata', 'app_metadata');
  const setUser = metadataSpec('user.setUserMetadata', 'user_metadata');

  return {
    initial: () => ({ user: { app_metadata: {}, user_metadata: {} } }),
    commands: [setApp, setUser],
    build: (ctx) => {
      const setter =
        (spec: CommandSpec<UserMetadataSection>, kind: Kind) => (key: string, value: unknown) => {
          const current = isPlainObject(ctx.event.user) ? ctx.event.user[kind] : undefined;
          if (current !== undefined && current !== null && !isPlainObject(current)) {
            throw new InvalidApiCallError(
              `${spec.method}: Unexpected ${kind} format: expected an object, got ${typeof current}.`,
            );
          }
          const pending: Record<string, unknown> = { ...(current ?? {}) };
          for (const command of ctx.recorded) {
            if (command.type === spec.type && command.discard !== true)
              pending[command.key as string] = command.value;
          }
          pending[key] = value;
          // An unserialisable value has no size here; recording it fails with a clear message.
          if ((jsonBytes(pending) ?? 0) > METADATA_MAX_BYTES) {
            throw new InvalidApiCallError(
              `${spec.method}: ${kind} would exceed ${METADATA_MAX_BYTES} bytes.`,
            );
          }
          ctx.record(spec, value === undefined ? { key, discard: true } : { key, value });
          return ctx.api;
        };
      return {
        setAppMetadata: setter(setApp, 'app_metadata'),
        setUserMetadata: setter(setUser, 'user_metadata'),
      };
    },
  };
}
