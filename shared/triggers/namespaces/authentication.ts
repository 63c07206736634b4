/**
 * `api.authentication`: MFA challenges and enrolments, custom methods and account linking.
 * Hookchain does not own the login page, so each call becomes a step in `result.authentication`
 * that the caller runs after the chain, in order.
 */
import { z } from 'zod';
import { InvalidApiCallError } from '../../errors.ts';
import {
  type ChainState,
  type CommandSpec,
  defineCommand,
  InvalidCommandError,
  type Namespace,
} from '../framework.ts';
import { httpUrl, lazy, nonEmptyString } from '../values.ts';

export const CHALLENGE_FACTORS = [
  'otp',
  'email',
  'webauthn-platform',
  'webauthn-roaming',
  'recovery-code',
  'phone',
  'push',
  'push-notification',
] as const;
export const ENROLL_FACTORS = [
  'otp',
  'webauthn-platform',
  'webauthn-roaming',
  'recovery-code',
  'push',
  'push-notification',
  'phone',
] as const;

const factorOptions = lazy(() =>
  z
    .object({
      preferredMethod: z
        .enum(['sms', 'voice', 'both'], { error: "preferredMethod must be 'sms', 'voice' or 'both'" })
        .optional(),
      otpFallback: z.boolean({ error: 'otpFallback must be a boolean' }).optional(),
    })
    .loose(),
);

const factor = (types: readonly [string, ...string[]]) =>
  z.object({
    type: z.enum(types, { error: `factor type must be one of ${types.join(', ')}` }),
    options: factorOptions().optional(),
  });

type Factor = { type: string; options?: Record<string, unknown> };

export interface AuthenticationStep {
  kind: 'challenge' | 'enroll';
  /** `any`: show the factor picker (challengeWithAny / enrollWithAny). */
  any: boolean;
  factors: Factor[];
}

export interface AuthenticationSection {
  [key: string]: unknown;
  authentication: {
    steps: AuthenticationStep[];
    recorded_methods: string[];
    primary_user_id: string | null;
  };
}

function stepSpec(
  type: string,
  kind: AuthenticationStep['kind'],
  any: boolean,
  types: readonly [string, ...string[]],
): CommandSpec<AuthenticationSection> {
  const fields = () =>
    any
      ? z.object({ factors: z.array(factor(types)).min(1, { error: 'factors must not be empty' }) })
      : z.object({
          factor: factor(types),
          options: z.object({ additionalFactors: z.array(factor(types)).optional() }).optional(),
        });
  return defineCommand({
    type,
    fields,
    apply: (state: ChainState<AuthenticationSection>, value: Record<string, unknown>) => {
      const factors = any
        ? (value.factors as Factor[])
        : [
            value.factor as Factor,
            ...((value.options as { additionalFactors?: Factor[] } | undefined)?.additionalFactors ?? []),
          ];
      state.result.authentication.steps.push({ kind, any, factors });
    },
  });
}

const recordMethod = defineCommand({
  type: 'authentication.recordMethod',
  fields: () => z.object({ provider_url: httpUrl() }),
  apply: (state: ChainState<AuthenticationSection>, { provider_url }) => {
    const methods = state.result.authentication.recorded_methods;
    if (!methods.includes(provider_url)) methods.push(provider_url);
  },
});

const setPrimaryUser = defineCommand({
  type: 'authentication.setPrimaryUser',
  fields: () =>
    z.object({
      primary_user_id: nonEmptyString('primary_user_id').max(128, {
        error: 'primary_user_id must be at most 128 characters',
      }),
    }),
  apply: (state: ChainState<AuthenticationSection>, { primary_user_id }) => {
    // Once per transaction, across the chain: a later action's second call fails that action.
    const current = state.result.authentication.primary_user_id;
    if (current !== null && current !== primary_user_id) {
      throw new InvalidCommandError(
        'api.authentication.setPrimaryUser: the primary user was already set in this transaction.',
      );
    }
    state.result.authentication.primary_user_id = primary_user_id;
  },
});

const initial = (): AuthenticationSection => ({
  authentication: { steps: [], recorded_methods: [], primary_user_id: null },
});

/** post-login has the full namespace; password-reset-post-challenge only challenges. */
export function authentication(options: { full: boolean }): Namespace<AuthenticationSection> {
  const challengeWith = stepSpec('authentication.challengeWith', 'challenge', false, CHALLENGE_FACTORS);
  const challengeWithAny = stepSpec('authentication.challengeWithAny', 'challenge', true, CHALLENGE_FACTORS);
  const enrollWith = stepSpec('authentication.enrollWith', 'enroll', false, ENROLL_FACTORS);
  const enrollWithAny = stepSpec('authentication.enrollWithAny', 'enroll', true, ENROLL_FACTORS);

  return {
    initial,
    commands: options.full
      ? [challengeWith, challengeWithAny, enrollWith, enrollWithAny, recordMethod, setPrimaryUser]
      : [challengeWith, challengeWithAny],
    build: (ctx) => {
      const api: Record<string, unknown> = {
        challengeWith(factorSelector: unknown, opts?: unknown) {
          ctx.record(challengeWith, { factor: factorSelector, options: opts });
          return ctx.api;
        },
        challengeWithAny(factors: unknown) {
          ctx.record(challengeWithAny, { factors });
          return ctx.api;
        },
      };
      if (!options.full) return api;
      return Object.assign(api, {
        enrollWith(factorSelector: unknown, opts?: unknown) {
          ctx.record(enrollWith, { factor: factorSelector, options: opts });
          return ctx.api;
        },
        enrollWithAny(factors: unknown) {
          ctx.record(enrollWithAny, { factors });
          return ctx.api;
        },
        recordMethod(providerUrl: string) {
          if (ctx.phase !== 'continue') {
            throw new InvalidApiCallError(
              'api.authentication.recordMethod: only available in onContinuePostLogin.',
            );
          }
          ctx.record(recordMethod, { provider_url: providerUrl });
          return ctx.api;
        },
        setPrimaryUser(primaryUserId: string) {
          if (ctx.recorded.some((c) => c.type === setPrimaryUser.type)) {
            throw new InvalidApiCallError(
              'api.authentication.setPrimaryUser: may be called once per transaction.',
            );
          }
          ctx.record(setPrimaryUser, { primary_user_id: primaryUserId });
          return ctx.api;
        },
      });
    },
  };
}
