import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, sha256, tempDir } from '../../test/fixtures.js';
import { startServer, type TestServer } from '../../test/http_server.js';
import { ChecksumMismatchError, DownloadError } from '../index.js';
import { downloadFile, loadFashionMnist } from './index.js';

describe('download into the cache', () => {
  const f = makeFixture(30);
  const imagesGz = new Uint8Array(gzipSync(f.imagesIdx));
  const labelsGz = new Uint8Array(gzipSync(f.labelsIdx));
  const checksums = { 'train-images-idx3-ubyte': sha256(f.imagesIdx), 'train-labels-idx1-ubyte': sha256(f.labelsIdx) };
  const corrupt = new Uint8Array(gzipSync(makeFixture(30, () => 1).labelsIdx));
  let server: TestServer;
  let tmp: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    tmp = tempDir();
    server = await startServer({
      '/ok/train-images-idx3-ubyte.gz': { body: imagesGz },
      '/ok/train-labels-idx1-ubyte.gz': { body: labelsGz },
      '/bad/train-images-idx3-ubyte.gz': { body: imagesGz },
      '/bad/train-labels-idx1-ubyte.gz': { body: corrupt },
      '/drop/train-images-idx3-ubyte.gz': { body: imagesGz, dropAfter: 10_000 },
      '/drop/train-labels-idx1-ubyte.gz': { body: labelsGz },
    });
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  const opts = (name: string, sub: string) => ({
    split: 'train' as const,
    download: true,
    baseUrl: `${server.baseUrl}${sub}/`,
    checksums,
    debianDir: join(tmp.dir, 'no-debian'),
    cacheDir: join(tmp.dir, name),
    env: {},
  });

  it('serves fixtures big enough to drop mid-file', () => {
    expect(imagesGz.length).toBeGreaterThan(20_000);
  });

  it('downloads, verifies, reports progress and then loads from the cache', async () => {
    const progress: [number, number, string][] = [];
    const ds = await loadFashionMnist({ ...opts('c1', 'ok'), onProgress: (b, t, file) => progress.push([b, t, file]) });
    expect(ds.length).toBe(30);
    expect(ds.source).toEqual({ kind: 'download', dir: join(tmp.dir, 'c1'), url: `${server.baseUrl}ok/` });
    expect(readdirSync(join(tmp.dir, 'c1')).sort()).toEqual(['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']);
    const last = progress.filter((p) => p[2] === 'train-images-idx3-ubyte.gz').at(-1)!;
    expect(last).toEqual([imagesGz.length, imagesGz.length, 'train-images-idx3-ubyte.gz']);
    const again = await loadFashionMnist(opts('c1', 'ok'));
    expect(again.source.kind).toBe('cache');
    expect(server.requests.filter((r) => r.startsWith('/ok/')).length).toBe(2);
  });

  it('deletes a download whose checksum does not match, and says so', async () => {
    const err = await loadFashionMnist(opts('c2', 'bad')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChecksumMismatchError);
    expect(String(err)).toMatch(/train-labels-idx1-ubyte\.gz: SHA-256 of the decompressed content is [0-9a-f]{64}, expected [0-9a-f]{64}; the download from .* was deleted/);
    expect(readdirSync(join(tmp.dir, 'c2'))).toEqual(['train-images-idx3-ubyte.gz']);
  });

  it('leaves no partial file when the connection drops mid-file', async () => {
    const err = await loadFashionMnist(opts('c3', 'drop')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(String(err)).toMatch(/connection dropped after 10000 of \d+ bytes.*partial file was deleted/);
    expect(readdirSync(join(tmp.dir, 'c3'))).toEqual([]);
  });

  it('reports HTTP errors and a timeout', async () => {
    const dest = join(tmp.dir, 'c4', 'x.gz');
    await expect(downloadFile(`${server.baseUrl}missing.gz`, dest, { sha256: 'x' })).rejects.toThrow(/HTTP 404/);
    expect(existsSync(dest)).toBe(false);
    const slow = await startServer({ '/slow.gz': { body: imagesGz, dropAfter: 10, holdMs: 2000 } });
    // The server stalls after 10 bytes; the 300 ms idle timeout (long enough for the first bytes on a busy machine) fires long before it drops the socket.
    await expect(downloadFile(`${slow.baseUrl}slow.gz`, dest, { sha256: 'x', timeoutMs: 300 })).rejects.toThrow(/connection dropped after 10 of \d+ bytes \(timed out: no data for 300 ms\)/);
    await slow.close();
    expect(readdirSync(join(tmp.dir, 'c4'))).toEqual([]);
  });
});
