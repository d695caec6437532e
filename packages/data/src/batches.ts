/**
 * Seeded mini-batches as tensors: x float32 [B, H, W, 1] in [0, 1] (or normalised), y int32 [B].
 * One epoch visits every example once, in `epochOrder(n, seed, epoch)` when shuffled. The next
 * batch's typed arrays are built on a later macrotask while the consumer works on the current
 * one. The consumer disposes x and y.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@convnets/core';
import { augmentImage, augmentIsActive, type AugmentOptions } from './augment.js';
import { FASHION_MNIST_MEAN, FASHION_MNIST_STD } from './classes.js';
import { augmentRng, epochOrder } from './epoch_order.js';
import { nextMacrotask } from './macrotask.js';
import { resizeShape, type ResizeOption } from './resize.js';

/** What `batches` needs of a dataset: N images of h*w uint8 pixels and N labels. */
export interface LabeledImages {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly length: number;
  readonly height: number;
  readonly width: number;
}

export interface BatchOptions {
  batchSize: number;
  /** Visit the examples in `epochOrder(n, seed, epoch)` instead of file order. Default false. */
  shuffle?: boolean;
  /** Seed of the order and the augmentation. Default 0. */
  seed?: number;
  /** Alternatively, a generator to draw the seed from (one nextUint32 when `batches` is called). */
  rng?: Rng;
  /** Which epoch (the order and augmentation depend only on seed and epoch). Default 0. */
  epoch?: number;
  /** Bilinear resize of each batch on the active backend, e.g. 224 or [96, 96]. */
  resize?: ResizeOption;
  /** (x - mean) / std; true uses Fashion-MNIST's 0.2860 / 0.3530. Off by default. */
  normalize?: boolean | { mean: number; std: number };
  /** Seeded augmentation, off by default. */
  augment?: AugmentOptions | false;
  /** Drop a last, smaller batch. Default false. */
  dropLast?: boolean;
  /** Build the next batch's arrays ahead (default true). */
  prefetch?: boolean;
  /**
   * Start at this batch of the epoch (resuming mid-epoch). Earlier batches are not built as
   * tensors; with augmentation their random draws are still made, so the rest is unchanged.
   */
  startBatch?: number;
}

export interface Batch {
  /** [B, H, W, 1] float32. */
  x: tf.Tensor4D;
  /** [B] int32. */
  y: tf.Tensor1D;
  /** Position of the batch in the epoch. */
  index: number;
  /** The dataset indices of the batch's examples. */
  indices: Int32Array;
}

interface HostBatch {
  x: Float32Array;
  y: Int32Array;
  indices: Int32Array;
}

/** Batches per epoch for n examples. */
export function numBatches(n: number, options: Pick<BatchOptions, 'batchSize' | 'dropLast'>): number {
  checkBatchSize(options.batchSize);
  return options.dropLast ? Math.floor(n / options.batchSize) : Math.ceil(n / options.batchSize);
}

function checkBatchSize(b: number): void {
  if (!Number.isInteger(b) || b < 1) throw new RangeError(`batchSize must be a positive integer, got ${b}`);
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** An async iterator over one epoch of batches. Options are checked when called. */
export function batches(data: LabeledImages, options: BatchOptions): AsyncGenerator<Batch, void, undefined> {
  const { batchSize, dropLast = false, prefetch = true } = options;
  const nb = numBatches(data.length, { batchSize, dropLast });
  const seed = options.rng ? options.rng.nextUint32() : (options.seed ?? 0);
  const epoch = options.epoch ?? 0;
  const order = options.shuffle ? epochOrder(data.length, seed, epoch) : identity(data.length);
  const augment = augmentIsActive(options.augment) ? options.augment : null;
  const rng = augment ? augmentRng(seed, epoch) : null;
  const norm = options.normalize === true ? { mean: FASHION_MNIST_MEAN, std: FASHION_MNIST_STD } : options.normalize || null;
  if (norm && !(norm.std > 0)) throw new RangeError(`normalize.std must be positive, got ${norm.std}`);
  const { height: h, width: w } = data;
  const size = options.resize === undefined ? null : resizeShape(options.resize);
  const needResize = size !== null && (size[0] !== h || size[1] !== w);

  const build = (b: number): HostBatch => {
    const indices = order.subarray(b * batchSize, Math.min(data.length, (b + 1) * batchSize));
    const px = h * w;
    const x = new Float32Array(indices.length * px);
    const y = new Int32Array(indices.length);
    const src = new Float32Array(px);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      y[k] = data.labels[i];
      const dst = x.subarray(k * px, (k + 1) * px);
      const pixels = data.images.subarray(i * px, (i + 1) * px);
      const target = augment ? src : dst;
      for (let p = 0; p < px; p++) target[p] = pixels[p] / 255;
      if (augment && rng) augmentImage(src, dst, h, w, augment, rng);
      if (norm) for (let p = 0; p < px; p++) dst[p] = (dst[p] - norm.mean) / norm.std;
    }
    return { x, y, indices };
  };

  const buildLater = async (b: number): Promise<HostBatch> => {
    await nextMacrotask();
    return build(b);
  };

  const toTensors = (host: HostBatch, index: number): Batch => {
    const n = host.y.length;
    const raw = tf.tensor4d(host.x, [n, h, w, 1], 'float32');
    let x = raw;
    if (needResize && size) {
      x = tf.image.resizeBilinear(raw, size, false, true);
      raw.dispose();
    }
    return { x, y: tf.tensor1d(host.y, 'int32'), index, indices: host.indices };
  };

  const start = options.startBatch ?? 0;
  if (!Number.isInteger(start) || start < 0 || start > nb) throw new RangeError(`startBatch must be an integer in [0, ${nb}], got ${start}`);
  // The augmentation stream is sequential: skipped batches still draw from it.
  if (augment) for (let b = 0; b < start; b++) build(b);

  async function* run(): AsyncGenerator<Batch, void, undefined> {
    let next: Promise<HostBatch> | null = start < nb && prefetch ? buildLater(start) : null;
    try {
      for (let b = start; b < nb; b++) {
        const host = next ? await next : build(b);
        next = prefetch && b + 1 < nb ? buildLater(b + 1) : null;
        yield toTensors(host, b);
      }
    } finally {
      // An abandoned prefetch must not surface as an unhandled rejection.
      next?.catch(() => undefined);
    }
  }
  return run();
}
