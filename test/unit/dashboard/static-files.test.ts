import { describe, expect, it } from 'vitest';
import {
  cacheControlOf,
  contentTypeOf,
  IMMUTABLE,
  isText,
  REVALIDATE,
  targetOf,
} from '../../../functions/dashboard/static-files.ts';

describe('targetOf: a request path under /dashboard', () => {
  it('/dashboard redirects, /dashboard/ is the index, the rest names a file under the root', () => {
    expect(targetOf('/dashboard')).toEqual({ kind: 'redirect' });
    expect(targetOf('/dashboard/')).toEqual({ kind: 'file', file: 'index.html' });
    expect(targetOf('/dashboard/index.html')).toEqual({ kind: 'file', file: 'index.html' });
    expect(targetOf('/dashboard/assets/index-B7x2kQ9a.js')).toEqual({
      kind: 'file',
      file: 'assets/index-B7x2kQ9a.js',
    });
  });

  it('decodes each segment once', () => {
    expect(targetOf('/dashboard/assets/my%20font.ttf')).toEqual({ kind: 'file', file: 'assets/my font.ttf' });
    expect(targetOf('/dashboard/assets/%252e%252e')).toEqual({ kind: 'file', file: 'assets/%2e%2e' });
  });

  it.each([
    '/dashboard/../package.json',
    '/dashboard/assets/../../package.json',
    '/dashboard/./index.html',
    '/dashboard/%2e%2e/package.json',
    '/dashboard/%2E%2E/%2E%2E/etc/passwd',
    '/dashboard/assets/%2e%2e/%2e%2e/package.json',
    '/dashboard/..%2fpackage.json',
    '/dashboard/..%2Fpackage.json',
    '/dashboard/assets%2F..%2F..%2Fpackage.json',
    '/dashboard/assets%2findex.js',
    '/dashboard/..%5cpackage.json',
    '/dashboard/%5c..%5cpackage.json',
    '/dashboard/index.html%00.js',
  ])('refuses traversal and encoded separators: %s', (path) => {
    expect(targetOf(path)).toEqual({ kind: 'not-found' });
  });

  it.each([
    '/dashboard/.env',
    '/dashboard/.git/config',
    '/dashboard/assets/.hidden',
    '/dashboard/%2eenv',
    '/dashboard/.',
  ])('never serves dotfiles: %s', (path) => {
    expect(targetOf(path)).toEqual({ kind: 'not-found' });
  });

  it.each([
    '/dashboard//index.html',
    '/dashboard/assets/',
    '/dashboard/assets//index.js',
    '/dashboard/%E0%A4%A',
    '/dashboardx',
    '/dashboards/index.html',
    '/api/v2/dashboard/',
    '/',
  ])('has nothing for empty segments, malformed escapes and other paths: %s', (path) => {
    expect(targetOf(path)).toEqual({ kind: 'not-found' });
  });

  it('refuses names longer than a file system allows', () => {
    expect(targetOf(`/dashboard/${'a'.repeat(256)}.js`)).toEqual({ kind: 'not-found' });
    expect(targetOf(`/dashboard/${'a'.repeat(252)}.js`).kind).toBe('file');
  });
});

describe('contentTypeOf', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/index-B7x2kQ9a.js', 'text/javascript; charset=utf-8'],
    ['assets/worker.mjs', 'text/javascript; charset=utf-8'],
    ['assets/index.css', 'text/css; charset=utf-8'],
    ['manifest.json', 'application/json; charset=utf-8'],
    ['assets/index.js.map', 'application/json; charset=utf-8'],
    ['assets/logo.svg', 'image/svg+xml'],
    ['assets/codicon.ttf', 'font/ttf'],
    ['assets/inter.woff2', 'font/woff2'],
    ['assets/inter.woff', 'font/woff'],
    ['favicon.png', 'image/png'],
    ['favicon.ico', 'image/x-icon'],
    ['assets/photo.JPG', 'image/jpeg'],
    ['assets/module.wasm', 'application/wasm'],
    ['robots.txt', 'text/plain; charset=utf-8'],
  ])('%s is %s', (file, type) => {
    expect(contentTypeOf(file)).toBe(type);
  });

  it('anything unknown is opaque bytes, which nosniff keeps from being run as a script', () => {
    expect(contentTypeOf('assets/data.bin')).toBe('application/octet-stream');
    expect(contentTypeOf('LICENSE')).toBe('application/octet-stream');
    expect(contentTypeOf('assets.v2/LICENSE')).toBe('application/octet-stream');
  });
});

describe('isText: what travels as text and is worth compressing', () => {
  it('html, js, css, json, source maps and svg are text; fonts and images are not', () => {
    for (const file of ['index.html', 'a.js', 'a.css', 'a.json', 'a.js.map', 'a.svg', 'a.txt']) {
      expect(isText(contentTypeOf(file)), file).toBe(true);
    }
    for (const file of ['a.ttf', 'a.woff2', 'a.png', 'a.ico', 'a.wasm', 'a.bin']) {
      expect(isText(contentTypeOf(file)), file).toBe(false);
    }
  });
});

describe('cacheControlOf', () => {
  it('content-hashed assets are cached for a year and never revalidated', () => {
    expect(cacheControlOf('assets/index-B7x2kQ9a.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlOf('assets/codicon-Ee4rT6yU.ttf')).toBe(IMMUTABLE);
  });

  it('index.html and everything else is revalidated on every use', () => {
    expect(cacheControlOf('index.html')).toBe('no-cache');
    expect(cacheControlOf('favicon.png')).toBe(REVALIDATE);
    expect(cacheControlOf('assets-old/x.js')).toBe(REVALIDATE);
  });
});
