/**
 * `api.redirect`: send the user away and resume in `onContinue*` when they come back. The chain
 * suspends after the action; the caller sends the user to `result.redirect.url` (state appended).
 * encodeToken/validateToken are real HS256 JWTs, checked exactly as Auth0 documents.
 */
import { z } from 'zod';
import { InvalidApiCallError } from '../../errors.ts';
import { type ChainState, defineCommand, type Namespace } from '../framework.ts';
import { signHs256, TokenValidationError, verifyHs256 } from '../jwt.ts';
import { httpUrl, isPlainObject, jsonBytes, lazy, nonEmptyString, stringRecord } from '../values.ts';

export interface RedirectSection {
  [key: string]: unknown;
  redirect: { url: string; query: Record<string, string>; state?: string } | null;
}

/** Protocols where the user agent cannot be redirected (Auth0's reference list). */
const NON_INTERACTIVE_PROTOCOLS = new Set([
  'oauth2-resource-owner',
  'oauth2-refresh-token',
  'oauth2-password',
  'oauth2-webauthn',
]);

const DEFAULT_TOKEN_LIFETIME_SECONDS = 900;

export const sendUserTo = defineCommand({
  type: 'redirect.sendUserTo',
  fields: () => z.object({ url: httpUrl(), query: stringRecord().optional() }),
  effect: 'suspend',
  apply: (state: ChainState<RedirectSection>, { url, query }) => {
    state.result.redirect = { url, query: query ?? {} };
  },
});

export function canRedirect(event: Record<string, unknown>): boolean {
  const transaction = isPlainObject(event.transaction) ? event.transaction : {};
  const prompt = transaction.prompt;
  if (Array.isArray(prompt) ? prompt.includes('none') : prompt === 'none') return false;
  // Auth0's own check reads the authorize request's query.
  const query = requestValue(event, 'query');
  if (isPlainObject(query) && query.prompt === 'none') return false;
  return !(typeof transaction.protocol === 'string' && NON_INTERACTIVE_PROTOCOLS.has(transaction.protocol));
}

function requestValue(event: Record<string, unknown>, key: string): unknown {
  const request = isPlainObject(event.request) ? event.request : {};
  return request[key];
}

function userId(event: Record<string, unknown>): unknown {
  return isPlainObject(event.user) ? event.user.user_id : undefined;
}

const encodeOptions = lazy(() =>
  z.object({
    secret: nonEmptyString('secret'),
    payload: z
      .record(z.string(), z.unknown(), { error: 'payload must be an object' })
      .refine((p) => jsonBytes(p) !== undefined, { error: 'payload must be JSON-serialisable' }),
    expiresInSeconds: z.number({ error: 'expiresInSeconds must be a number' }).int().positive().optional(),
  }),
);

const validateOptions = lazy(() =>
  z.object({
    secret: nonEmptyString('secret'),
    tokenParameterName: nonEmptyString('tokenParameterName').optional(),
  }),
);

function parseOptions<S extends z.ZodType>(schema: S, method: string, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidApiCallError(`${method}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  return parsed.data;
}

export function redirect(): Namespace<RedirectSection> {
  return {
    initial: () => ({ redirect: null }),
    commands: [sendUserTo],
    build: (ctx) => ({
      sendUserTo(url: string, options?: { query?: Record<string, string> }) {
        if (ctx.recorded.some((c) => c.type === 'prompt.render')) {
          throw new InvalidApiCallError(
            'api.redirect.sendUserTo: cannot be combined with api.prompt.render in one action.',
          );
        }
        if (!canRedirect(ctx.event)) {
          throw new InvalidApiCallError(
            'api.redirect.sendUserTo: this transaction cannot redirect (prompt=none or a non-interactive grant); check api.redirect.canRedirect() first.',
          );
        }
        ctx.record(sendUserTo, { url, query: options?.query });
        return ctx.api;
      },

      canRedirect: () => canRedirect(ctx.event),

      encodeToken(options: unknown) {
        const { secret, payload, expiresInSeconds } = parseOptions(
          encodeOptions(),
          'api.redirect.encodeToken',
          options,
        );
        const iat = Math.floor(ctx.now() / 1000);
        // Auth0 puts the payload last, so an action may override a standard claim.
        return signHs256(
          {
            iat,
            iss: requestValue(ctx.event, 'hostname'),
            sub: userId(ctx.event),
            exp: iat + (expiresInSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS),
            ip: requestValue(ctx.event, 'ip'),
            ...payload,
          },
          secret,
        );
      },

      validateToken(options: unknown) {
        const { secret, tokenParameterName = 'session_token' } = parseOptions(
          validateOptions(),
          'api.redirect.validateToken',
          options,
        );
        // Query and POST body parameters together; the body wins, as in Auth0.
        const query = requestValue(ctx.event, 'query');
        const body = requestValue(ctx.event, 'body');
        const params = { ...(isPlainObject(query) ? query : {}), ...(isPlainObject(body) ? body : {}) };
        const token = params[tokenParameterName];
        if (typeof token !== 'string' || token === '') {
          throw new TokenValidationError(`No '${tokenParameterName}' parameter was sent to /continue.`);
        }
        const claims = verifyHs256(token, secret);
        if (typeof claims.exp !== 'number' || claims.exp * 1000 <= ctx.now()) {
          throw new TokenValidationError('The session token has expired.');
        }
        if (ctx.continueState === undefined || claims.state !== ctx.continueState) {
          throw new TokenValidationError('The session token state does not match this transaction.');
        }
        if (claims.sub !== userId(ctx.event)) {
          throw new TokenValidationError('The session token subject does not match the user.');
        }
        const hostname = requestValue(ctx.event, 'hostname');
        if (hostname !== undefined && claims.iss !== undefined && claims.iss !== hostname) {
          throw new TokenValidationError('The session token issuer does not match this host.');
        }
        return claims;
      },
    }),
  };
}
