import { describe, expect, it } from 'vitest';
import { makeFixture } from '../test/fixtures.js';
import {
  checkIdxPair,
  encodeIdx,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  IdxCountMismatchError,
  IdxDimensionError,
  IdxLabelRangeError,
  IdxMagicError,
  IdxTrailingBytesError,
  IdxTruncatedError,
  parseIdxImages,
  parseIdxLabels,
} from './index.js';

describe('IDX reader', () => {
  const f = makeFixture(12);

  it('parses images and labels', () => {
    const images = parseIdxImages(f.imagesIdx, 'imgs');
    expect(images).toMatchObject({ count: 12, height: 28, width: 28 });
    expect(Array.from(images.pixels)).toEqual(Array.from(f.pixels));
    expect(Array.from(parseIdxLabels(f.labelsIdx, 'lbls'))).toEqual(Array.from(f.labels));
  });

  it('rejects a wrong magic number, naming the file', () => {
    expect(() => parseIdxImages(f.labelsIdx, 'train-images-idx3-ubyte.gz')).toThrow(IdxMagicError);
    expect(() => parseIdxLabels(f.imagesIdx, 'train-labels-idx1-ubyte.gz')).toThrow(
      /^train-labels-idx1-ubyte\.gz: wrong magic number 2051 \(0x00000803\), expected 2049/,
    );
  });

  it('rejects truncated data with the counts from the header and the file', () => {
    const cut = f.imagesIdx.subarray(0, 16 + 5 * 784 + 100);
    expect(() => parseIdxImages(cut, 'train-images-idx3-ubyte.gz')).toThrow(IdxTruncatedError);
    expect(() => parseIdxImages(cut, 'train-images-idx3-ubyte.gz')).toThrow('train-images-idx3-ubyte.gz: truncated, header says 12 images, file holds 5');
    expect(() => parseIdxLabels(f.labelsIdx.subarray(0, 10), 'l')).toThrow('l: truncated, header says 12 labels, file holds 2');
    expect(() => parseIdxLabels(f.labelsIdx.subarray(0, 6), 'l')).toThrow(/too short for the 8-byte IDX label header/);
    expect(() => parseIdxLabels(new Uint8Array(2), 'l')).toThrow(/2 bytes is too short/);
  });

  it('rejects bytes beyond what the header announces', () => {
    const long = new Uint8Array(f.labelsIdx.length + 3);
    long.set(f.labelsIdx);
    expect(() => parseIdxLabels(long, 'l')).toThrow(IdxTrailingBytesError);
  });

  it('rejects wrong image dimensions', () => {
    const bad = encodeIdx(IDX_IMAGES_MAGIC, [2, 32, 28], new Uint8Array(2 * 32 * 28));
    expect(() => parseIdxImages(bad, 'x.gz')).toThrow(IdxDimensionError);
    expect(() => parseIdxImages(bad, 'x.gz')).toThrow('x.gz: wrong dimensions, header says 32x28 images, expected 28x28');
  });

  it('rejects a label out of range', () => {
    const bad = encodeIdx(IDX_LABELS_MAGIC, [4], Uint8Array.from([0, 9, 10, 1]));
    expect(() => parseIdxLabels(bad, 'l.gz')).toThrow(IdxLabelRangeError);
    expect(() => parseIdxLabels(bad, 'l.gz')).toThrow('l.gz: label 10 at index 2 is out of range 0..9');
  });

  it('rejects an image count that differs from the label count', () => {
    const images = parseIdxImages(f.imagesIdx, 'i.gz');
    const labels = parseIdxLabels(makeFixture(11).labelsIdx, 'l.gz');
    expect(() => checkIdxPair(images, 'i.gz', labels, 'l.gz')).toThrow(IdxCountMismatchError);
    expect(() => checkIdxPair(images, 'i.gz', labels, 'l.gz')).toThrow('i.gz: holds 12 images but l.gz holds 11 labels');
  });
});
