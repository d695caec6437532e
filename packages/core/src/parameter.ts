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
  readonly variable: tf.Variable;
  readonly layout: ParamLayout;

  /** Takes ownership of `value`: it is disposed once the variable holds its data. */
  constructor(value: tf.Tensor, layout: ParamLayout = 'plain', trainable = true) {
    this.variable = tf.variable(value, trainable);
    value.dispose();
    this.layout = layout;
  }

  get shape(): number[] {
    return this.variable.shape;
  }

  get size(): number {
    return this.variable.size;
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
    this.variable.dispose();
  }
}
