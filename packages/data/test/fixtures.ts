/** Tiny synthetic Fashion-MNIST-shaped IDX fixtures, written by the tests into temp dirs. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, FASHION_MNIST_FILES, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, type Split } from '../src/index.js';

export interface Fixture {
  count: number;
  labels: Uint8Array;
  pixels: Uint8Array;
  imagesIdx: Uint8Array;
  labelsIdx: Uint8Array;
}

/** n 28x28 images; label of example i is (i * 3) % 10 unless given; pixels are a hash of (i, p), so gzip cannot shrink them much. */
export function makeFixture(n: number, labelOf: (i: number) => number = (i) => (i * 3) % 10): Fixture {
  const labels = Uint8Array.from({ length: n }, (_, i) => labelOf(i));
  const pixels = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) for (let p = 0; p < 784; p++) pixels[i * 784 + p] = pixelValue(i, p);
  return {
    count: n,
    labels,
    pixels,
    imagesIdx: encodeIdx(IDX_IMAGES_MAGIC, [n, 28, 28], pixels),
    labelsIdx: encodeIdx(IDX_LABELS_MAGIC, [n], labels),
  };
}

/** The fixture's pixel p of image i. */
export function pixelValue(i: number, p: number): number {
  let h = Math.imul(i * 784 + p + 1, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return (h >>> 24) & 255;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function tempDir(prefix = 'convnets-data-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a split's two files into dir, gzipped (default) or raw; returns the checksums to verify them. */
export function writeSplit(dir: string, split: Split, f: Fixture, gzip = true): Record<string, string> {
  const stems = FASHION_MNIST_FILES[split];
  const write = (stem: string, bytes: Uint8Array) => writeFileSync(join(dir, gzip ? `${stem}.gz` : stem), gzip ? gzipSync(bytes) : bytes);
  write(stems.images, f.imagesIdx);
  write(stems.labels, f.labelsIdx);
  return { [stems.images]: sha256(f.imagesIdx), [stems.labels]: sha256(f.labelsIdx) };
}
