import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFixture, tempDir, writeSplit } from '../../test/fixtures.js';
import { DataNotFoundError } from '../index.js';
import { defaultCacheDir, resolveSplit } from './index.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const f = makeFixture(10);
const full = join(tmp.dir, 'full');
const empty = join(tmp.dir, 'empty');
const nowhere = join(tmp.dir, 'nowhere');
mkdirSync(full);
mkdirSync(empty);
writeSplit(full, 'train', f);

describe('resolveSplit', () => {
  it('prefers dataDir, then $FASHION_MNIST_DIR', async () => {
    const env = { FASHION_MNIST_DIR: full };
    expect((await resolveSplit('train', { dataDir: full, env: {} })).source).toEqual({ kind: 'explicit', dir: full });
    expect((await resolveSplit('train', { env })).source).toEqual({ kind: 'env', dir: full });
    await expect(resolveSplit('train', { dataDir: empty, env, debianDir: full })).rejects.toThrow(/dataDir .*empty: missing train-images-idx3-ubyte\(\.gz\)/);
  });

  it('falls back from Debian to the cache', async () => {
    expect((await resolveSplit('train', { env: {}, debianDir: full, cacheDir: nowhere })).source).toEqual({ kind: 'debian', dir: full });
    expect((await resolveSplit('train', { env: {}, debianDir: empty, cacheDir: full })).source).toEqual({ kind: 'cache', dir: full });
    await expect(resolveSplit('train', { env: { XDG_CACHE_HOME: tmp.dir }, debianDir: empty })).rejects.toThrow(
      `cache ${join(tmp.dir, 'convnets', 'fashion-mnist')}: directory does not exist`,
    );
  });

  it('lists everything it tried and both fixes in one message', async () => {
    const err = await resolveSplit('test', { env: {}, debianDir: nowhere, cacheDir: empty, baseUrl: 'http://127.0.0.1:9/' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataNotFoundError);
    const msg = (err as Error).message;
    expect(msg).toContain('Fashion-MNIST (test split) not found. Tried:');
    expect(msg).toContain(`debian ${nowhere}: directory does not exist`);
    expect(msg).toContain(`cache ${empty}: missing t10k-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz)`);
    expect(msg).toContain('download from http://127.0.0.1:9/: not allowed');
    expect(msg).toContain('apt-get install dataset-fashion-mnist');
    expect(msg).toContain('CONVNETS_DOWNLOAD=1');
    expect((err as DataNotFoundError).tried).toHaveLength(3);
  });

  it('finds the XDG or home cache dir', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/convnets/fashion-mnist');
    expect(defaultCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/convnets/fashion-mnist');
  });
});
