/** `api.access`: deny the transaction. The current action finishes, then nothing later runs. */
import { z } from 'zod';
import { type ChainState, defineCommand, type JsonObject, type Namespace } from '../framework.ts';
import { nonEmptyString } from '../values.ts';

export interface AccessSection {
  [key: string]: unknown;
  access: { denied: boolean; reason?: string; code?: string; user_message?: string };
}

function denySpec<S extends z.ZodType<JsonObject>>(
  fields: () => S,
  toSection: (fields: z.output<S>) => AccessSection['access'],
) {
  return defineCommand({
    type: 'access.deny',
    fields,
    effect: 'stop',
    apply: (state: ChainState<AccessSection>, value) => {
      state.result.access = toSection(value);
    },
  });
}

const initial = (): AccessSection => ({ access: { denied: false } });

/** post-login and password-reset-post-challenge: `deny(reason)`; the reason may reach the end user. */
export function accessWithReason(): Namespace<AccessSection> {
  const deny = denySpec(
    () => z.object({ reason: nonEmptyString('reason') }),
    ({ reason }) => ({
      denied: true,
      reason,
    }),
  );
  return {
    initial,
    commands: [deny],
    build: (ctx) => ({
      deny(reason: string) {
        ctx.record(deny, { reason });
        return ctx.api;
      },
    }),
  };
}

export const CREDENTIALS_DENY_CODES = ['invalid_scope', 'invalid_request', 'server_error'] as const;

/** credentials-exchange: `deny(code, reason?)`; the code is returned as the OAuth error. */
export function accessWithOAuthCode(): Namespace<AccessSection> {
  const deny = denySpec(
    () =>
      z.object({
        code: z.enum(CREDENTIALS_DENY_CODES, {
          error: `code must be one of ${CREDENTIALS_DENY_CODES.join(', ')}`,
        }),
        reason: z.string({ error: 'reason must be a string' }).optional(),
      }),
    ({ code, reason }) => ({ denied: true, code, ...(reason === undefined ? {} : { reason }) }),
  );
  return {
    initial,
    commands: [deny],
    build: (ctx) => ({
      deny(code: string, reason?: string) {
        ctx.record(deny, { code, reason });
        return ctx.api;
      },
    }),
  };
}

/** pre-user-registration: `deny(reason, userMessage?)`; the reason is internal, the message is shown. */
export function accessWithUserMessage(): Namespace<AccessSection> {
  const deny = denySpec(
    () =>
      z.object({
        reason: nonEmptyString('reason'),
        userMessage: z.string({ error: 'userMessage must be a string' }).optional(),
      }),
    ({ reason, userMessage }) => ({
      denied: true,
      reason,
      ...(userMessage === undefined ? {} : { user_message: userMessage }),
    }),
  );
  return {
    initial,
    commands: [deny],
    build: (ctx) => ({
      deny(reason: string, userMessage?: string) {
        ctx.record(deny, { reason, userMessage });
        return ctx.api;
      },
    }),
  };
}
