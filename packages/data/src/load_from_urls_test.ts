import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, sha256 } from '../test/fixtures.js';
import { startServer, type TestServer } from '../test/http_server.js';
import { ChecksumMismatchError, DownloadError, GzipError, IdxCountMismatchError, loadFashionMnistFromUrls } from './index.js';

describe('loadFashionMnistFromUrls (browser loader)', () => {
  const f = makeFixture(40);
  const short = makeFixture(39);
  const imagesGz = new Uint8Array(gzipSync(f.imagesIdx));
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      '/gz/t10k-images-idx3-ubyte.gz': { body: imagesGz },
      '/gz/t10k-labels-idx1-ubyte.gz': { body: new Uint8Array(gzipSync(f.labelsIdx)) },
      '/raw/t10k-images-idx3-ubyte': { body: f.imagesIdx },
      '/raw/t10k-labels-idx1-ubyte': { body: f.labelsIdx },
      '/cut/t10k-images-idx3-ubyte.gz': { body: imagesGz.subarray(0, imagesGz.length - 30) },
      '/cut/t10k-labels-idx1-ubyte.gz': { body: new Uint8Array(gzipSync(f.labelsIdx)) },
      '/mix/t10k-images-idx3-ubyte': { body: f.imagesIdx },
      '/mix/t10k-labels-idx1-ubyte': { body: short.labelsIdx },
    });
  });
  afterAll(() => server.close());

  it('loads gzipped files, verifies them, and reports progress', async () => {
    const progress: string[] = [];
    const checksums = { 't10k-images-idx3-ubyte': sha256(f.imagesIdx), 't10k-labels-idx1-ubyte': sha256(f.labelsIdx) };
    const ds = await loadFashionMnistFromUrls({
      split: 'test',
      baseUrl: `${server.baseUrl}gz/`,
      verify: true,
      checksums,
      onProgress: (_b, _t, file) => progress.push(file),
    });
    expect(ds.length).toBe(40);
    expect(ds.source).toEqual({ kind: 'url', url: `${server.baseUrl}gz/` });
    expect(ds.files.map((x) => x.status)).toEqual(['ok', 'ok']);
    expect(progress).toContain('t10k-images-idx3-ubyte');
    await expect(loadFashionMnistFromUrls({ split: 'test', baseUrl: `${server.baseUrl}gz/`, verify: true })).rejects.toThrow(ChecksumMismatchError);
  });

  it('loads raw files and applies limit', async () => {
    const ds = await loadFashionMnistFromUrls({ split: 'test', baseUrl: `${server.baseUrl}raw/`, suffix: '', limit: 20 });
    expect(ds.classCounts()).toEqual(new Array(10).fill(2));
  });

  it('reports missing files, truncated gzip and count mismatches', async () => {
    await expect(loadFashionMnistFromUrls({ split: 'train', baseUrl: `${server.baseUrl}gz/` })).rejects.toThrow(DownloadError);
    await expect(loadFashionMnistFromUrls({ split: 'train', baseUrl: `${server.baseUrl}gz/` })).rejects.toThrow(/HTTP 404/);
    await expect(loadFashionMnistFromUrls({ split: 'test', baseUrl: `${server.baseUrl}cut/` })).rejects.toThrow(GzipError);
    await expect(loadFashionMnistFromUrls({ split: 'test', baseUrl: `${server.baseUrl}mix/`, suffix: '' })).rejects.toThrow(IdxCountMismatchError);
  });
});
