import * as tf from '@tensorflow/tfjs-core';
import { defaultRng, type Rng } from '@convnets/core';
import { Layer } from './layer.js';

/**
 * torch.nn.Dropout(p=0.5). In training mode each element is zeroed with probability p and
 * the rest are scaled by 1/(1−p); in eval mode it is the identity (the input tensor itself
 * is returned). The mask comes from tf.randomUniform with a seed drawn from `rng` at every
 * call, so a seeded Rng reproduces the masks on every backend.
 */
export class Dropout extends Layer {
  readonly p: number;
  private readonly rng: Rng | undefined;

  constructor(p = 0.5, rng?: Rng) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: p must be between 0 and 1, got ${p}`);
    this.p = p;
    this.rng = rng;
  }

  override get typeName(): string {
    return 'Dropout';
  }

  override extraRepr(): string {
    return `p=${this.p}, inplace=False`;
  }

  outputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.p === 0) return x;
    if (this.p === 1) return tf.zerosLike(x);
    const seed = (this.rng ?? defaultRng()).tfSeed();
    return tf.tidy(() => {
      const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), this.p), 'float32');
      return tf.mul(x, tf.mul(keep, 1 / (1 - this.p)));
    });
  }
}
