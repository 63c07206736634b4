import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileCache } from '../../../functions/dashboard/file-cache.ts';
import { type DashboardFixture, writeDashboardFixture } from '../../support/dashboard-fixture.ts';

const SCRIPT = 'assets/index-B7x2kQ9a.js';

let fixture: DashboardFixture;
beforeAll(async () => {
  fixture = await writeDashboardFixture();
});
afterAll(() => fixture?.remove());

describe('the dashboard’s file cache', () => {
  it('reads a file once per warm handler: bytes, ETags and gzip bytes are kept', async () => {
    const cache = createFileCache(fixture.dir);
    const first = await cache.get(SCRIPT);
    expect(first).toBeDefined();
    expect(await cache.get(SCRIPT)).toBe(first);
    expect(first?.identity()).toBe(first?.identity());
    const gzipped = await first?.gzip();
    expect(await first?.gzip()).toBe(gzipped);
    expect(gunzipSync(Buffer.from(gzipped?.body ?? '', 'base64'))).toEqual(fixture.files[SCRIPT]);
  });

  it('notices a rewritten file (a rebuild while the local stack runs) and a removed one', async () => {
    const own = await writeDashboardFixture();
    try {
      const cache = createFileCache(own.dir);
      const before = await cache.get('index.html');
      await writeFile(join(own.dir, 'index.html'), '<!doctype html><p>new build</p>');
      const after = await cache.get('index.html');
      expect(after).not.toBe(before);
      expect(after?.identity().body).toBe('<!doctype html><p>new build</p>');
      expect(after?.etags.identity).not.toBe(before?.etags.identity);
      await own.remove();
      expect(await cache.get('index.html')).toBeUndefined();
    } finally {
      await own.remove();
    }
  });

  it('has only regular files inside the root: no directories, no links out, nothing missing', async () => {
    const cache = createFileCache(fixture.dir);
    await mkdir(join(fixture.dir, 'assets', 'nested'), { recursive: true });
    expect(await cache.get('assets')).toBeUndefined();
    expect(await cache.get('assets/nested')).toBeUndefined();
    expect(await cache.get('assets/escape.txt')).toBeUndefined();
    expect(await cache.get('nope.js')).toBeUndefined();
    expect(await cache.get('index.html/x')).toBeUndefined();
    expect(await cache.get('../outside.txt')).toBeUndefined();
    expect(await createFileCache(join(fixture.dir, 'missing')).get('index.html')).toBeUndefined();
  });

  it('text that is valid UTF-8 stays text; binary files and gzip bytes are base64', async () => {
    const cache = createFileCache(fixture.dir);
    const script = (await cache.get(SCRIPT))?.identity();
    expect(script).toMatchObject({ isBase64Encoded: false, body: fixture.files[SCRIPT]?.toString('utf8') });
    // What Lambda's limit counts: the body as a JSON string, escapes included.
    expect(script?.payloadBytes).toBe(Buffer.byteLength(JSON.stringify(script?.body)));
    const font = (await cache.get('assets/codicon-Ee4rT6yU.ttf'))?.identity();
    expect(font?.isBase64Encoded).toBe(true);
    expect(Buffer.from(font?.body ?? '', 'base64')).toEqual(fixture.files['assets/codicon-Ee4rT6yU.ttf']);
  });

  it('text that is not valid UTF-8 is sent as bytes, not mangled', async () => {
    const own = await writeDashboardFixture();
    try {
      const latin1 = Buffer.from('const s = "caf\xe9";', 'latin1');
      await writeFile(join(own.dir, 'assets', 'legacy.js'), latin1);
      const legacy = (await createFileCache(own.dir).get('assets/legacy.js'))?.identity();
      expect(legacy?.isBase64Encoded).toBe(true);
      expect(Buffer.from(legacy?.body ?? '', 'base64')).toEqual(latin1);
    } finally {
      await own.remove();
    }
  });
});
