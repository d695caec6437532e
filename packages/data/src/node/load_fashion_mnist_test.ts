import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { requireSystem } from '@convnets/vitest-config/system';
import { makeFixture, tempDir, writeSplit } from '../../test/fixtures.js';
import {
  ChecksumMismatchError,
  encodeIdx,
  FASHION_MNIST_FILES,
  GzipError,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  IdxCountMismatchError,
  IdxDimensionError,
  IdxLabelRangeError,
  IdxMagicError,
} from '../index.js';
import { DEBIAN_FASHION_MNIST_DIR, datasetStats, loadFashionMnist, loadFashionMnistSplits } from './index.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const f = makeFixture(60);
let dirs = 0;

function dirWith(files: Record<string, Uint8Array>): string {
  const dir = join(tmp.dir, `d${dirs++}`);
  mkdirSync(dir);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

const gz = (b: Uint8Array) => new Uint8Array(gzipSync(b));
const stems = FASHION_MNIST_FILES.train;

describe('loadFashionMnist on fixtures', () => {
  it('loads gzipped and raw files from dataDir, verifying injected checksums', async () => {
    const gzDir = dirWith({});
    const checksums = writeSplit(gzDir, 'train', f, true);
    const rawDir = dirWith({});
    writeSplit(rawDir, 'train', f, false);
    const a = await loadFashionMnist({ split: 'train', dataDir: gzDir, checksums });
    const b = await loadFashionMnist({ split: 'train', dataDir: rawDir, checksums });
    expect(a.source).toEqual({ kind: 'explicit', dir: gzDir });
    expect(a.files.map((x) => x.status)).toEqual(['ok', 'ok']);
    expect(Array.from(b.images)).toEqual(Array.from(a.images));
    expect(Array.from(a.labels)).toEqual(Array.from(f.labels));
    expect((await loadFashionMnist({ split: 'train', dataDir: gzDir, checksums, limit: 30 })).classCounts()).toEqual(new Array(10).fill(3));
    writeSplit(gzDir, 'test', makeFixture(20), true);
    const { train, test } = await loadFashionMnistSplits({ dataDir: gzDir, verify: false });
    expect([train.split, train.length, test.split, test.length]).toEqual(['train', 60, 'test', 20]);
  });

  it('gives each corrupt input its own error', async () => {
    const load = (dir: string, verify = false) => loadFashionMnist({ split: 'train', dataDir: dir, verify });
    const cut = gz(f.imagesIdx);
    await expect(load(dirWith({ [`${stems.images}.gz`]: cut.subarray(0, cut.length - 40), [`${stems.labels}.gz`]: gz(f.labelsIdx) }))).rejects.toThrow(
      GzipError,
    );
    await expect(load(dirWith({ [`${stems.images}.gz`]: cut.subarray(0, cut.length - 40), [`${stems.labels}.gz`]: gz(f.labelsIdx) }))).rejects.toThrow(
      // The full path, not just the base name: the message says which copy is damaged.
      /^\/.+\/train-images-idx3-ubyte\.gz: corrupt gzip data \(truncated: unexpected end of file\)/,
    );
    await expect(load(dirWith({ [stems.images]: f.labelsIdx, [stems.labels]: f.labelsIdx }))).rejects.toThrow(IdxMagicError);
    await expect(load(dirWith({ [stems.images]: f.imagesIdx, [stems.labels]: makeFixture(59).labelsIdx }))).rejects.toThrow(IdxCountMismatchError);
    const label10 = encodeIdx(IDX_LABELS_MAGIC, [60], Uint8Array.from(f.labels, (l, i) => (i === 7 ? 10 : l)));
    await expect(load(dirWith({ [stems.images]: f.imagesIdx, [stems.labels]: label10 }))).rejects.toThrow(IdxLabelRangeError);
    const dims = encodeIdx(IDX_IMAGES_MAGIC, [60, 28, 27], new Uint8Array(60 * 28 * 27));
    await expect(load(dirWith({ [stems.images]: dims, [stems.labels]: f.labelsIdx }))).rejects.toThrow(IdxDimensionError);
    const sumErr = await load(dirWith({ [stems.images]: f.imagesIdx, [stems.labels]: f.labelsIdx }), true).catch((e: unknown) => e);
    expect(sumErr).toBeInstanceOf(ChecksumMismatchError);
    expect(String(sumErr)).toMatch(/\/train-images-idx3-ubyte: SHA-256 of the decompressed content is [0-9a-f]{64}, expected c59f468a/);
  });
});

/** Debian's dataset-fashion-mnist: a skip line without it, a failure in CI. */
const debian = await requireSystem('fashion-mnist', import.meta.url);

describe('the real Fashion-MNIST', () => {
  it.skipIf(!debian.ok)(`loads both splits from ${DEBIAN_FASHION_MNIST_DIR}: 60000/10000 examples, 6000/1000 per class, checksums ok`, async () => {
    const stats = await datasetStats({ env: {} });
    expect(stats.splits.map((s) => [s.split, s.count, s.source.kind])).toEqual([
      ['train', 60000, 'debian'],
      ['test', 10000, 'debian'],
    ]);
    expect(stats.splits[0].classCounts).toEqual(new Array(10).fill(6000));
    expect(stats.splits[1].classCounts).toEqual(new Array(10).fill(1000));
    expect(stats.checksumsOk).toBe(true);
    const test = await loadFashionMnist({ split: 'test', env: {}, limit: 1000 });
    expect(test.classCounts()).toEqual(new Array(10).fill(100));
    expect(test.images.length).toBe(1000 * 784);
  });
});
