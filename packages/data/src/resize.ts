/**
 * Bilinear resize of a batch on the active backend. halfPixelCenters=true matches PyTorch's
 * F.interpolate(mode='bilinear', align_corners=False) and torchvision's Resize without
 * antialias when upsampling. Resize per batch: never the whole dataset.
 */
import * as tf from '@tensorflow/tfjs-core';

export type ResizeOption = number | readonly [number, number];

/** [height, width] from a size (square) or a pair; throws on non-positive sizes. */
export function resizeShape(resize: ResizeOption): [number, number] {
  const [h, w] = typeof resize === 'number' ? [resize, resize] : resize;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new RangeError(`resize must be a positive integer or [height, width], got ${JSON.stringify(resize)}`);
  }
  return [h, w];
}

/** A new [B, h, w, C] tensor; the caller keeps ownership of `x`. */
export function resizeBatch(x: tf.Tensor4D, resize: ResizeOption): tf.Tensor4D {
  return tf.image.resizeBilinear(x, resizeShape(resize), false, true);
}
