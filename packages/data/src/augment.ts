/**
 * Seeded augmentation of one grayscale image in [0, 1], on the CPU at native resolution
 * (before any resize). Per image, in this order: random crop with zero padding, random
 * horizontal flip, brightness jitter, contrast jitter (torchvision ColorJitter's formulas).
 */
import type { Rng } from '@convnets/core';

export interface AugmentOptions {
  /** Horizontal flip with probability 0.5 (true) or the given probability. */
  flip?: boolean | number;
  /** Zero-pad by this many pixels on each side, then crop back to the original size at a random offset. */
  cropPadding?: number;
  /** Multiply by a factor uniform in [max(0, 1-b), 1+b], then clamp to [0, 1]. */
  brightness?: number;
  /** Blend with the image mean: c*x + (1-c)*mean, c uniform in [max(0, 1-c), 1+c], then clamp. */
  contrast?: number;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** True when the options would change anything. */
export function augmentIsActive(o: AugmentOptions | false | undefined): o is AugmentOptions {
  if (!o) return false;
  const flip = o.flip === true ? 0.5 : o.flip || 0;
  return flip > 0 || (o.cropPadding ?? 0) > 0 || (o.brightness ?? 0) > 0 || (o.contrast ?? 0) > 0;
}

/**
 * Writes the augmented `src` (h*w values in [0, 1]) into `dst` (h*w). Random draws, per image
 * and only for the enabled transforms: crop offset y, x; flip; brightness; contrast.
 */
export function augmentImage(src: Float32Array, dst: Float32Array, h: number, w: number, o: AugmentOptions, rng: Rng): void {
  const pad = o.cropPadding ?? 0;
  if (!Number.isInteger(pad) || pad < 0) throw new RangeError(`cropPadding must be a non-negative integer, got ${pad}`);
  const oy = pad > 0 ? rng.int(2 * pad + 1) - pad : 0;
  const ox = pad > 0 ? rng.int(2 * pad + 1) - pad : 0;
  const flipP = o.flip === true ? 0.5 : o.flip || 0;
  const flip = flipP > 0 && rng.random() < flipP;
  for (let y = 0; y < h; y++) {
    const sy = y + oy;
    for (let x = 0; x < w; x++) {
      const sx = (flip ? w - 1 - x : x) + ox;
      dst[y * w + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? src[sy * w + sx] : 0;
    }
  }
  const n = h * w;
  const b = o.brightness ?? 0;
  if (b > 0) {
    const f = rng.uniform(Math.max(0, 1 - b), 1 + b);
    for (let i = 0; i < n; i++) dst[i] = clamp01(dst[i] * f);
  }
  const c = o.contrast ?? 0;
  if (c > 0) {
    const f = rng.uniform(Math.max(0, 1 - c), 1 + c);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += dst[i];
    mean /= n;
    for (let i = 0; i < n; i++) dst[i] = clamp01(f * dst[i] + (1 - f) * mean);
  }
}
