import * as tf from '@tensorflow/tfjs-core';
import { Layer, pyFloat } from './layer.js';

/**
 * torch.nn.LocalResponseNorm(size, alpha=1e-4, beta=0.75, k=1):
 *
 *   b_c = a_c / (k + alpha/size · Σ_{c' ∈ window(c)} a_{c'}²)^beta
 *
 * with the window c − ⌊size/2⌋ … c + ⌊(size−1)/2⌋ (asymmetric for even sizes), zero outside
 * the channels — exactly PyTorch's pad + avg_pool3d. Note PyTorch divides alpha by size,
 * unlike tf.localResponseNormalization, so this computes the window mean with an avgPool
 * over channels rather than calling that op.
 */
export class LocalResponseNorm extends Layer {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(size: number, alpha = 1e-4, beta = 0.75, k = 1) {
    super();
    if (!Number.isInteger(size) || size < 1) throw new Error(`LocalResponseNorm: size must be a positive integer, got ${size}`);
    this.size = size;
    this.alpha = alpha;
    this.beta = beta;
    this.k = k;
  }

  override get typeName(): string {
    return 'LocalResponseNorm';
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }

  outputShape(inputShape: readonly number[]): number[] {
    this.expectImages(inputShape);
    return [...inputShape];
  }

  forward(x: tf.Tensor): tf.Tensor {
    this.checkInput(x);
    const [n, h, w, c] = x.shape;
    return tf.tidy(() => {
      // [N, H·W, C, 1]: avgPool with a [1, size] window slides over the channels.
      const sq = tf.reshape(tf.square(x), [n, h * w, c, 1]);
      const padded = tf.pad(sq, [[0, 0], [0, 0], [Math.floor(this.size / 2), Math.floor((this.size - 1) / 2)], [0, 0]]);
      const mean = tf.avgPool(padded as tf.Tensor4D, [1, this.size], [1, 1], 'valid');
      const div = tf.pow(tf.add(tf.mul(mean, this.alpha), this.k), this.beta);
      return tf.div(x, tf.reshape(div, x.shape));
    });
  }
}
