import * as tf from '@tensorflow/tfjs-core';

/**
 * torch.nn.utils.clip_grad_norm_(params, maxNorm): scales every gradient by
 * min(1, maxNorm / (‖g‖₂ + 1e-6)), ‖g‖₂ the global norm over all of them. Stays on the device
 * (no sync). Returns the clipped gradients and the norm before clipping. Call inside tf.tidy.
 */
export function clipGradNorm(grads: tf.Tensor[], maxNorm: number): { grads: tf.Tensor[]; norm: tf.Scalar } {
  if (!(maxNorm > 0)) throw new RangeError(`clipGradNorm: maxNorm must be positive, got ${maxNorm}`);
  const squares = grads.map((g) => tf.sum(tf.square(g)));
  const norm = tf.sqrt(squares.length ? tf.addN(squares) : tf.scalar(0)) as tf.Scalar;
  const coef = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
  return { grads: grads.map((g) => tf.mul(g, coef)), norm };
}
