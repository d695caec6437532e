import type * as tf from '@tensorflow/tfjs-core';
import { Module } from '@convnets/core';
import { formatShape, LayerInputError } from './errors.js';

/**
 * A module that can compute its output shape without running: every layer of this
 * package. Shapes here are in PyTorch's order (NCHW for images, [N, features] for vectors),
 * as the seed prints them; tensors inside forward() stay NHWC.
 */
export abstract class Layer extends Module {
  /**
   * The output shape for an input shape (PyTorch order), or a LayerInputError that names
   * this layer and says why the input does not fit. forward() runs the same check.
   */
  abstract outputShape(inputShape: readonly number[]): number[];

  /** One-line repr used in error messages (PyTorch's for leaf layers). */
  reprLine(): string {
    return `${this.typeName}(${this.extraRepr()})`;
  }

  /** Validates a tensor's shape against outputShape() before forward() computes. */
  protected checkInput(x: tf.Tensor): void {
    this.outputShape(torchOrder(x.shape));
  }

  protected fail(inputShape: readonly number[], problem: LayerInputError['problem'], detail: string): never {
    throw new LayerInputError(this.reprLine(), inputShape, problem, detail);
  }

  /** Fails unless the input is a 4-D image batch, and returns [N, C, H, W]. */
  protected expectImages(inputShape: readonly number[]): [number, number, number, number] {
    if (inputShape.length !== 4) {
      this.fail(inputShape, 'rank', `expected a 4-D batch of images [N, C, H, W] (tensors are NHWC [N, H, W, C] in convnets), got ${inputShape.length} dimension(s)`);
    }
    return [inputShape[0], inputShape[1], inputShape[2], inputShape[3]];
  }

  /**
   * The output height and width of a sliding window (convolution or pooling) over an NCHW
   * input shape, failing with a 'too-small' error when either would be below 1.
   */
  protected windowOutput(inputShape: readonly number[], kernel: readonly [number, number], stride: readonly [number, number], padding: readonly [number, number]): [number, number] {
    const [, , h, w] = this.expectImages(inputShape);
    const oh = convOutSize(h, kernel[0], stride[0], padding[0]);
    const ow = convOutSize(w, kernel[1], stride[1], padding[1]);
    if (oh < 1 || ow < 1) {
      this.fail(
        inputShape,
        'too-small',
        `the output would be ${oh}×${ow} (⌊(n + 2p − k)/s⌋ + 1 with k=${kernel.join('×')}, s=${stride.join('×')}, p=${padding.join('×')}); feed larger images (resize them) or build the network for this size`,
      );
    }
    return [oh, ow];
  }

  protected expectChannels(inputShape: readonly number[], expected: number): void {
    const c = inputShape[1];
    if (c !== expected) {
      this.fail(inputShape, 'channels', `it has ${c} channel(s), this layer expects ${expected}; check inChannels (Fashion-MNIST images have 1 channel)`);
    }
  }
}

/** The PyTorch-order shape of a tfjs tensor shape: NHWC → NCHW for 4-D, unchanged otherwise. */
export function torchOrder(shape: readonly number[]): number[] {
  return shape.length === 4 ? [shape[0], shape[3], shape[1], shape[2]] : [...shape];
}

/** The tfjs (NHWC) shape of a PyTorch-order shape. */
export function tfOrder(shape: readonly number[]): number[] {
  return shape.length === 4 ? [shape[0], shape[2], shape[3], shape[1]] : [...shape];
}

/** A module that can infer its output shape (every Layer, and models built from them). */
export interface ShapeInferable {
  outputShape(inputShape: readonly number[]): number[];
}

export function isShapeInferable(m: unknown): m is ShapeInferable {
  return typeof (m as { outputShape?: unknown } | null)?.outputShape === 'function';
}

/** outputShape() of any module that has one, or an error saying it cannot be inferred. */
export function inferOutputShape(m: Module, inputShape: readonly number[]): number[] {
  if (!isShapeInferable(m)) {
    throw new Error(`${m.typeName} cannot infer its output shape from ${formatShape(inputShape)}: give it an outputShape(inputShape) method (every @convnets/layers layer has one)`);
  }
  return m.outputShape(inputShape);
}

/** ⌊(n + 2p − k)/s⌋ + 1, PyTorch's output size for convolution and pooling (floor mode, dilation 1). */
export function convOutSize(n: number, k: number, s: number, p: number): number {
  return Math.floor((n + 2 * p - k) / s) + 1;
}

/** Formats a number as Python's repr() of a float does (`1e-05`, `0.0001`, `2.0`). */
export function pyFloat(x: number): string {
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [m, e] = x.toExponential().split('e');
    const sign = e.startsWith('-') ? '-' : '+';
    return `${m}e${sign}${e.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

export type Pair = number | readonly [number, number];

export function pair(v: Pair, what: string, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  for (const n of p) {
    if (!Number.isInteger(n) || n < min) throw new Error(`${what} must be an integer ≥ ${min} (or a pair of them), got ${JSON.stringify(v)}`);
  }
  return p;
}

/** Checks PyTorch's pooling arguments (integers; padding at most half the kernel). */
export function checkPoolArgs(name: string, kernelSize: number, stride: number, padding: number): void {
  for (const [what, v, min] of [['kernel_size', kernelSize, 1], ['stride', stride, 1], ['padding', padding, 0]] as const) {
    if (!Number.isInteger(v) || v < min) throw new Error(`${name}: ${what} must be an integer ≥ ${min}, got ${v}`);
  }
  if (padding > kernelSize / 2) {
    throw new Error(`${name}: padding should be at most half of kernel_size (PyTorch's rule), got kernel_size=${kernelSize}, padding=${padding}`);
  }
}
