/**
 * `api.redirect.encodeToken` / `validateToken` and the HS256 tokens under them: real signed JWTs
 * that any JWT library on the redirect target can verify, checked as Auth0 documents.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { continueChain, runChain, sampleEvent } from '../../../shared/testing/index.ts';
import { signHs256, TokenValidationError, verifyHs256 } from '../../../shared/triggers/jwt.ts';
import { postLogin } from '../../../shared/triggers/post-login.ts';
import { type AnyApi, expectArgumentError, NOW, openApi } from './harness.ts';

const SECRET = 'a-shared-secret-with-the-consent-site';
const STATE = 'suspended-chain-state';
const USER_ID = 'auth0|64b7f2c9e1a2b3c4d5e6f708';
const HOST = 'login.acme.test';

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** What the redirect target sends back: its own token, signed with the shared secret. */
function returnedToken(claims: Record<string, unknown> = {}, secret = SECRET): string {
  const iat = Math.floor(NOW / 1000);
  return signHs256({ iss: HOST, sub: USER_ID, iat, exp: iat + 300, state: STATE, ...claims }, secret);
}

/** A post-login event as it arrives at /continue, with the given request parameters. */
function continueEvent(request: { query?: Record<string, string>; body?: Record<string, string> }) {
  const event: AnyApi = sampleEvent('post-login');
  event.request.query = request.query ?? {};
  event.request.body = request.body ?? {};
  return event;
}

function openContinue(
  request: Parameters<typeof continueEvent>[0],
  options: { continueState?: string; now?: () => number } = {},
) {
  return openApi(postLogin, {
    event: continueEvent(request),
    phase: 'continue',
    continueState: options.continueState ?? STATE,
    ...(options.now ? { now: options.now } : {}),
  });
}

describe('HS256 tokens', () => {
  it('signHs256 produces a standard HS256 JWT', () => {
    const token = signHs256({ sub: 'u1', n: 1 }, SECRET);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(decode(header)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decode(payload)).toEqual({ sub: 'u1', n: 1 });
    // Verifiable with nothing but an HMAC: what any JWT library on the target does.
    expect(signature).toBe(createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url'));
  });

  it('verifyHs256 returns the claims of a token signed with the secret', () => {
    expect(verifyHs256(signHs256({ sub: 'u1' }, SECRET), SECRET)).toEqual({ sub: 'u1' });
  });

  it('verifyHs256 refuses a wrong secret, a tampered payload, another algorithm and garbage', () => {
    const token = signHs256({ sub: 'u1' }, SECRET);
    const [header, , signature] = token.split('.') as [string, string, string];
    const tampered = `${header}.${Buffer.from('{"sub":"admin"}').toString('base64url')}.${signature}`;
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${token.split('.')[1]}.`;
    const array = signHs256([] as never, SECRET);
    const cases: Array<[string, RegExp]> = [
      [signHs256({ sub: 'u1' }, 'another-secret'), /signature is invalid/],
      [tampered, /signature is invalid/],
      [none, /must be signed with HS256/],
      ['not-a-jwt', /not a JWT/],
      ['a.b.c', /malformed/],
      [array, /payload is not an object/],
    ];
    for (const [bad, message] of cases) {
      expect(() => verifyHs256(bad, SECRET)).toThrow(TokenValidationError);
      expect(() => verifyHs256(bad, SECRET)).toThrow(message);
    }
  });
});

describe('api.redirect.encodeToken({ secret, payload, expiresInSeconds })', () => {
  it('signs iat, iss (the request hostname), sub (the user), exp (15 minutes), ip and the payload', () => {
    const { api } = openApi(postLogin);
    const token = api.redirect.encodeToken({
      secret: SECRET,
      payload: { continue_uri: 'https://x.test', n: 2 },
    });
    const iat = Math.floor(NOW / 1000);
    expect(verifyHs256(token, SECRET)).toEqual({
      iat,
      iss: HOST,
      sub: USER_ID,
      exp: iat + 900,
      ip: '203.0.113.42',
      continue_uri: 'https://x.test',
      n: 2,
    });
  });

  it('takes a custom lifetime, and lets the payload override a standard claim as Auth0 does', () => {
    const { api } = openApi(postLogin);
    const iat = Math.floor(NOW / 1000);
    const short = verifyHs256(
      api.redirect.encodeToken({ secret: SECRET, payload: {}, expiresInSeconds: 60 }),
      SECRET,
    );
    expect(short.exp).toBe(iat + 60);
    const custom = verifyHs256(
      api.redirect.encodeToken({ secret: SECRET, payload: { iss: 'consent' } }),
      SECRET,
    );
    expect(custom.iss).toBe('consent');
  });

  it('refuses a missing secret, a payload that is not a JSON object and a bad lifetime', () => {
    const { api } = openApi(postLogin);
    const name = 'api.redirect.encodeToken';
    expectArgumentError(() => api.redirect.encodeToken({ payload: {} }), name, 'secret must be a string');
    expectArgumentError(
      () => api.redirect.encodeToken({ secret: '', payload: {} }),
      name,
      'secret must not be empty',
    );
    expectArgumentError(
      () => api.redirect.encodeToken({ secret: SECRET }),
      name,
      'payload must be an object',
    );
    expectArgumentError(
      () => api.redirect.encodeToken({ secret: SECRET, payload: 'x' }),
      name,
      'payload must be an object',
    );
    expectArgumentError(() => api.redirect.encodeToken({ secret: SECRET, payload: { n: 1n } }), name, 'JSON');
    expectArgumentError(
      () => api.redirect.encodeToken({ secret: SECRET, payload: {}, expiresInSeconds: -5 }),
      name,
    );
    expectArgumentError(() => api.redirect.encodeToken(), name);
  });
});

describe('api.redirect.validateToken({ secret, tokenParameterName }) in onContinuePostLogin', () => {
  it('accepts a token with the right signature, state, subject and expiry, and returns its claims', () => {
    const { api } = openContinue({
      query: { session_token: returnedToken({ consent: 'yes' }), state: STATE },
    });
    expect(api.redirect.validateToken({ secret: SECRET })).toMatchObject({
      sub: USER_ID,
      state: STATE,
      consent: 'yes',
    });
  });

  it('reads the token from the POST body as well as the query; the body wins', () => {
    const fromBody = openContinue({ body: { session_token: returnedToken({ via: 'body' }) } });
    expect(fromBody.api.redirect.validateToken({ secret: SECRET }).via).toBe('body');

    const both = openContinue({
      query: { session_token: 'not-even-a-jwt' },
      body: { session_token: returnedToken({ via: 'body' }) },
    });
    expect(both.api.redirect.validateToken({ secret: SECRET }).via).toBe('body');
  });

  it('reads a custom tokenParameterName', () => {
    const { api } = openContinue({ query: { consent_jwt: returnedToken() } });
    expect(api.redirect.validateToken({ secret: SECRET, tokenParameterName: 'consent_jwt' }).sub).toBe(
      USER_ID,
    );
    expect(() => api.redirect.validateToken({ secret: SECRET })).toThrow(/'session_token'/);
  });

  const refused: Array<[string, Parameters<typeof openContinue>, RegExp]> = [
    ['a missing parameter', [{ query: {} }], /No 'session_token' parameter/],
    [
      'a wrong signature',
      [{ query: { session_token: returnedToken({}, 'wrong-secret') } }],
      /signature is invalid/,
    ],
    [
      'an expired token',
      [{ query: { session_token: returnedToken() } }, { now: () => NOW + 301_000 }],
      /has expired/,
    ],
    ['a token without exp', [{ query: { session_token: returnedToken({ exp: undefined }) } }], /has expired/],
    [
      'the wrong state',
      [{ query: { session_token: returnedToken({ state: 'another-transaction' }) } }],
      /state does not match/,
    ],
    [
      'the wrong subject',
      [{ query: { session_token: returnedToken({ sub: 'auth0|someone-else' }) } }],
      /subject does not match/,
    ],
    [
      'another issuer',
      [{ query: { session_token: returnedToken({ iss: 'evil.test' }) } }],
      /issuer does not match/,
    ],
    ['a garbage token', [{ query: { session_token: 'garbage' } }], /not a JWT/],
  ];
  for (const [what, args, message] of refused) {
    it(`refuses ${what}`, () => {
      const { api } = openContinue(...args);
      expect(() => api.redirect.validateToken({ secret: SECRET })).toThrow(TokenValidationError);
      expect(() => api.redirect.validateToken({ secret: SECRET })).toThrow(message);
    });
  }

  it('refuses any token outside a resumed chain: there is no state to match', () => {
    const { api } = openApi(postLogin, {
      event: continueEvent({ query: { session_token: returnedToken() } }),
    });
    expect(() => api.redirect.validateToken({ secret: SECRET })).toThrow(/state does not match/);
  });

  it('refuses a missing secret with an argument error', () => {
    const { api } = openContinue({ query: { session_token: returnedToken() } });
    expectArgumentError(() => api.redirect.validateToken({}), 'api.redirect.validateToken', 'secret');
    expectArgumentError(() => api.redirect.validateToken(), 'api.redirect.validateToken');
  });

  describe('through a real redirect and resume', () => {
    const actions = [
      {
        name: 'consent',
        secrets: { CONSENT_SECRET: SECRET },
        code: `
          exports.onExecutePostLogin = async (event, api) => {
            api.redirect.sendUserTo('https://consent.acme.test/form');
          };
          exports.onContinuePostLogin = async (event, api) => {
            const { consent } = api.redirect.validateToken({ secret: event.secrets.CONSENT_SECRET });
            api.user.setUserMetadata('consent', consent);
          };`,
      },
    ];

    async function resumeWith(sign: (state: string) => string) {
      const suspended = await runChain({ trigger: 'post-login', actions });
      const state = suspended.state as string;
      return continueChain({
        trigger: 'post-login',
        actions,
        state,
        event: continueEvent({ body: { state, session_token: sign(state) } }),
      });
    }

    const realNow = () => Math.floor(Date.now() / 1000);

    it('a token carrying the state resumes the chain', async () => {
      const resumed = await resumeWith((state) =>
        signHs256({ sub: USER_ID, iss: HOST, exp: realNow() + 60, state, consent: 'granted' }, SECRET),
      );
      expect(resumed.status).toBe('final');
      expect(resumed.result.user).toMatchObject({ user_metadata: { consent: 'granted' } });
    });

    it('a forged token fails the login with a clear error from that action', async () => {
      const resumed = await resumeWith((state) =>
        signHs256({ sub: USER_ID, iss: HOST, exp: realNow() + 60, state, consent: 'granted' }, 'guessed'),
      );
      expect(resumed.status).toBe('failed');
      expect(resumed.error).toMatchObject({
        class: 'action_error',
        action_name: 'consent',
        message: 'The session token signature is invalid.',
      });
      expect(resumed.result.user).toMatchObject({ user_metadata: {} });
    });
  });
});
