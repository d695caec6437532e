import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipWeb, GzipError, isGzip, maybeGunzipWeb, sha256Hex } from './index.js';

describe('browser gzip and sha256', () => {
  const raw = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 251);
  const gz = new Uint8Array(gzipSync(raw));

  it('detects and decompresses gzip with DecompressionStream', async () => {
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(raw)).toBe(false);
    expect(Array.from(await gunzipWeb(gz, 'f.gz'))).toEqual(Array.from(raw));
    expect(await maybeGunzipWeb(raw, 'f')).toBe(raw);
  });

  it('reports a truncated gzip stream as GzipError naming the file', async () => {
    await expect(gunzipWeb(gz.subarray(0, gz.length - 20), 'f.gz')).rejects.toThrow(GzipError);
    await expect(gunzipWeb(gz.subarray(0, gz.length - 20), 'f.gz')).rejects.toThrow(/^f\.gz: corrupt gzip data/);
  });

  it('hashes with WebCrypto', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
