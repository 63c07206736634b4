import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { permissionFlag, residentLimitBytes } from '../../../../infra/local/function-host/sandbox.ts';
import { accessKeyIdOf } from '../../../../infra/local/local-credentials.ts';

describe('permissionFlag', () => {
  it('is experimental before Node 22.13 and 23.5, stable from then on', () => {
    expect(permissionFlag('20.19.0')).toBe('--experimental-permission');
    expect(permissionFlag('22.12.0')).toBe('--experimental-permission');
    expect(permissionFlag('22.13.0')).toBe('--permission');
    expect(permissionFlag('23.4.0')).toBe('--experimental-permission');
    expect(permissionFlag('23.5.0')).toBe('--permission');
    expect(permissionFlag('24.0.0')).toBe('--permission');
  });
});

describe('residentLimitBytes', () => {
  it('allows the memory size plus the runtime’s own share', () => {
    expect(residentLimitBytes(128)).toBe(384 * 1024 * 1024);
  });
});

describe('accessKeyIdOf', () => {
  const request = (headers: Record<string, string>, url = '/') =>
    ({ headers, url }) as unknown as IncomingMessage;

  it('reads the key id from a SigV4 Authorization header', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=LKIA0123456789ABCDEF/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00';
    expect(accessKeyIdOf(request({ authorization: header }))).toBe('LKIA0123456789ABCDEF');
  });

  it('reads it from a presigned URL', () => {
    const url = '/?X-Amz-Credential=LKIA0123456789ABCDEF%2F20260101%2Fus-east-1%2Flambda%2Faws4_request';
    expect(accessKeyIdOf(request({}, url))).toBe('LKIA0123456789ABCDEF');
  });

  it('finds none in unsigned or malformed requests', () => {
    expect(accessKeyIdOf(request({}))).toBeUndefined();
    expect(accessKeyIdOf(request({ authorization: 'Bearer token' }))).toBeUndefined();
  });
});
