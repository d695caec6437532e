import * as tf from '@tensorflow/tfjs-core';
import { defaultRng, type Parameter, pytorchDefaultParameters, type Rng } from '@convnets/core';
import { Layer } from './layer.js';

export interface LinearOptions {
  /** Where PyTorch's default init draws from (default: defaultRng()). */
  rng?: Rng;
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * torch.nn.Linear(in_features, out_features): `weight` (PyTorch [out, in], stored as tfjs
 * [in, out]) and `bias` [out], PyTorch's default init. Input [N, in_features].
 */
export class Linear extends Layer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    for (const [what, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`Linear: ${what} must be a positive integer, got ${v}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const dims = [outFeatures, inFeatures];
    const { weight, bias } = pytorchDefaultParameters('linear', dims, opts.rng ?? defaultRng(), opts.bias ?? true);
    this.weight = this.registerParameter('weight', weight);
    this.bias = bias && this.registerParameter('bias', bias);
  }

  override get typeName(): string {
    return 'Linear';
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }

  outputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 2) {
      this.fail(inputShape, 'rank', `expected [N, ${this.inFeatures}]; put a Flatten before this layer`);
    }
    if (inputShape[1] !== this.inFeatures) {
      this.fail(
        inputShape,
        'features',
        `it has ${inputShape[1]} features, this layer expects ${this.inFeatures}; the images are not the size the network was built for (build it with the inputSize you feed)`,
      );
    }
    return [inputShape[0], this.outFeatures];
  }

  forward(x: tf.Tensor): tf.Tensor {
    this.checkInput(x);
    return tf.fused.matMul({ a: x as tf.Tensor2D, b: this.weight.value as tf.Tensor2D, bias: this.bias?.value });
  }
}
