import { unzipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { unzippedSize, zipFiles } from '../../../shared/build/zip.ts';

describe('zipFiles', () => {
  it('round-trips text and binary files', () => {
    const zip = zipFiles({ 'index.js': 'exports.handler = 1;', 'index.js.map': new Uint8Array([1, 2, 3]) });
    const files = unzipSync(zip);
    expect(new TextDecoder().decode(files['index.js'])).toBe('exports.handler = 1;');
    expect([...files['index.js.map']!]).toEqual([1, 2, 3]);
  });

  it('gives the same bytes for the same files, whatever the clock and the key order', () => {
    const first = zipFiles({ 'b.js': 'b', 'index.js': 'a' });
    vi.useFakeTimers({ now: new Date('2031-05-05T12:00:00Z') });
    try {
      expect(zipFiles({ 'index.js': 'a', 'b.js': 'b' })).toEqual(first);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stores a fixed 1980-01-01 timestamp and unix 0644 permissions', () => {
    const zip = zipFiles({ 'index.js': 'x' });
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    expect(view.getUint32(0, true)).toBe(0x04034b50); // local file header
    expect(view.getUint16(10, true)).toBe(0); // DOS time 00:00:00
    expect(view.getUint16(12, true)).toBe((0 << 9) | (1 << 5) | 1); // DOS date 1980-01-01
    const central = zip.findIndex((_, i) => view.getUint32(i, true) === 0x02014b50);
    expect(view.getUint8(central + 5)).toBe(3); // made by: unix
    expect(view.getUint32(central + 38, true) >>> 16).toBe(0o100644);
  });

  it('reports the size its files have once extracted', () => {
    const zip = zipFiles({ 'index.js': 'a'.repeat(100_000), 'index.js.map': new Uint8Array(10) });
    expect(zip.byteLength).toBeLessThan(1_000);
    expect(unzippedSize(zip)).toBe(100_010);
  });
});
