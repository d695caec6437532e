import * as tf from '@tensorflow/tfjs-core';

/**
 * How a parameter is laid out in tfjs versus PyTorch's state_dict.
 * - `conv2d`: tfjs [kh, kw, in, out]  ⇄ torch [out, in, kh, kw]
 * - `linear`: tfjs [in, out]          ⇄ torch [out, in]
 * - `plain`:  the same in both (biases, BatchNorm vectors)
 */
export type ParamLayout = 'conv2d' | 'linear' | 'plain';

const TO_TORCH: Record<ParamLayout, number[] | null> = {
  conv2d: [3, 2, 0, 1],
  linear: [1, 0],
  plain: null,
};
const FROM_TORCH: Record<ParamLayout, number[] | null> = {
  conv2d: [2, 3, 1, 0],
  linear: [1, 0],
  plain: null,
};

/**
 * Permutes a row-major array like a transpose, in plain JS: out.shape[i] = shape[perm[i]].
 * Used on the way in and out of files, where a backend transpose of a large Linear weight
 * costs seconds on the cpu backend.
 */
export function permuteValues<T extends Float32Array | Int32Array>(values: T, shape: readonly number[], perm: readonly number[]): T {
  const rank = shape.length;
  const out = new (values.constructor as new (n: number) => T)(values.length);
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  // Walk the output in order; the matching input offset advances by the permuted strides.
  const step = perm.map((p) => inStrides[p]);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let dst = 0; dst < out.length; dst++) {
    out[dst] = values[src];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      src += step[d];
      if (idx[d] < outShape[d]) break;
      src -= step[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** The permutation that takes tfjs layout to PyTorch layout (null: same layout). */
export function toTorchPerm(layout: ParamLayout): number[] | null {
  return TO_TORCH[layout];
}

/** The permutation that takes PyTorch layout to tfjs layout (null: same layout). */
export function fromTorchPerm(layout: ParamLayout): number[] | null {
  return FROM_TORCH[layout];
}

/** The shape a tfjs-layout tensor has in PyTorch's layout. */
export function torchShape(layout: ParamLayout, shape: readonly number[]): number[] {
  const perm = TO_TORCH[layout];
  return perm ? perm.map((i) => shape[i]) : [...shape];
}

/** Converts a tensor in tfjs layout to PyTorch layout (caller disposes the result). */
export function toTorchLayout(layout: ParamLayout, t: tf.Tensor): tf.Tensor {
  const perm = TO_TORCH[layout];
  return perm ? tf.transpose(t, perm) : tf.clone(t);
}

/** Converts a tensor in PyTorch layout to tfjs layout (caller disposes the result). */
export function fromTorchLayout(layout: ParamLayout, t: tf.Tensor): tf.Tensor {
  const perm = FROM_TORCH[layout];
  return perm ? tf.transpose(t, perm) : tf.clone(t);
}

/** A trainable tensor with the layout it has in PyTorch's state_dict. */
export class Parameter {
  readonly layout: ParamLayout;
  private readonly held: tf.Variable | null;
  private readonly placeholderShape: number[] | null;

  /** Takes ownership of `value`: it is disposed once the variable holds its data. */
  constructor(value: tf.Tensor | { shapeOnly: readonly number[] }, layout: ParamLayout = 'plain', trainable = true) {
    if ('shapeOnly' in value) {
      this.held = null;
      this.placeholderShape = [...value.shapeOnly];
    } else {
      this.held = tf.variable(value, trainable);
      value.dispose();
      this.placeholderShape = null;
    }
    this.layout = layout;
  }

  /** A parameter that has a shape (tfjs layout) and no tensor: see buildShapeOnly. */
  static shapeOnly(shape: readonly number[], layout: ParamLayout = 'plain'): Parameter {
    return new Parameter({ shapeOnly: shape }, layout);
  }

  /** Whether this parameter holds no tensor (built by buildShapeOnly). */
  get isShapeOnly(): boolean {
    return this.held === null;
  }

  get variable(): tf.Variable {
    if (!this.held) throw new Error('this parameter was built for shapes only (buildShapeOnly): it has no values; build the network normally to run or train it');
    return this.held;
  }

  get shape(): number[] {
    return this.held ? this.held.shape : [...this.placeholderShape!];
  }

  get size(): number {
    return this.held ? this.held.size : this.placeholderShape!.reduce((a, b) => a * b, 1);
  }

  /** The value, for use inside forward(). */
  get value(): tf.Variable {
    return this.variable;
  }

  /** Replaces the value in place (shape must match). */
  assign(value: tf.Tensor): void {
    this.variable.assign(value);
  }

  dispose(): void {
    this.held?.dispose();
  }
}
