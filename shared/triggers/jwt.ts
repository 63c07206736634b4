/** HS256 JSON Web Tokens for `api.redirect.encodeToken` / `validateToken`: signed, not encrypted. */

/**
 * node:crypto loads on first use: with the stream modules it pulls in, loading it took ~10 ms of
 * every action's cold start, for two methods few actions call.
 */
const crypto = () => process.getBuiltinModule('node:crypto');

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (input: string, secret: string) =>
  crypto().createHmac('sha256', secret).update(input).digest('base64url');

export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${input}.${sign(input, secret)}`;
}

export class TokenValidationError extends Error {
  override name = 'Error';
}

/** Verifies the signature and returns the claims; expiry and claim checks are the caller's. */
export function verifyHs256(token: string, secret: string): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenValidationError('The session token is not a JWT.');
  const [header, payload, signature] = parts as [string, string, string];
  let alg: unknown;
  let claims: unknown;
  try {
    alg = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown }).alg;
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new TokenValidationError('The session token is malformed.');
  }
  if (alg !== 'HS256') throw new TokenValidationError('The session token must be signed with HS256.');
  const expected = Buffer.from(sign(`${header}.${payload}`, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !crypto().timingSafeEqual(expected, given)) {
    throw new TokenValidationError('The session token signature is invalid.');
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new TokenValidationError('The session token payload is not an object.');
  }
  return claims as Record<string, unknown>;
}
