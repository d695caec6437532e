import * as tf from '@tensorflow/tfjs-core';
import { Buffer, buildingShapeOnly, Parameter } from '@convnets/core';
import { Layer, pyFloat } from './layer.js';

/**
 * torch.nn.BatchNorm2d(num_features, eps=1e-5, momentum=0.1): parameters `weight` (γ, ones)
 * and `bias` (β, zeros); buffers `running_mean` (zeros), `running_var` (ones) and
 * `num_batches_tracked` (an int32 scalar here, int64 in the saved state_dict).
 *
 * - Training mode normalises with the batch's mean and biased variance over N, H, W, and
 *   updates the running statistics as PyTorch does:
 *   running = (1 − momentum)·running + momentum·batch, with the *unbiased* batch variance
 *   (n/(n−1)), and num_batches_tracked += 1. With momentum null the running statistics are
 *   the cumulative average (factor 1/num_batches_tracked).
 * - Eval mode normalises with the running statistics.
 *
 * The running-statistic update is not part of the output: it is computed in its own tf.tidy
 * and written with Variable.assign, so it never enters a gradient (the tape records those ops
 * but they do not lead to the loss and are pruned; their tensors are freed by the tidy).
 */
export class BatchNorm2d extends Layer {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly runningMean: Buffer;
  readonly runningVar: Buffer;
  readonly numBatchesTracked: Buffer;

  constructor(numFeatures: number, eps = 1e-5, momentum: number | null = 0.1) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1) throw new Error(`BatchNorm2d: num_features must be a positive integer, got ${numFeatures}`);
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    const make = <T>(f: () => tf.Tensor, wrap: (t: tf.Tensor) => T): T => {
      const t = f();
      const out = wrap(t);
      t.dispose();
      return out;
    };
    const shapeOnly = buildingShapeOnly();
    this.weight = this.registerParameter('weight', shapeOnly ? Parameter.shapeOnly([numFeatures]) : make(() => tf.ones([numFeatures]), (t) => new Parameter(t, 'plain')));
    this.bias = this.registerParameter('bias', shapeOnly ? Parameter.shapeOnly([numFeatures]) : make(() => tf.zeros([numFeatures]), (t) => new Parameter(t, 'plain')));
    this.runningMean = this.registerBuffer('running_mean', make(() => tf.zeros([numFeatures]), (t) => new Buffer(t, 'F32')));
    this.runningVar = this.registerBuffer('running_var', make(() => tf.ones([numFeatures]), (t) => new Buffer(t, 'F32')));
    this.numBatchesTracked = this.registerBuffer('num_batches_tracked', make(() => tf.scalar(0, 'int32'), (t) => new Buffer(t, 'I64')));
  }

  override get typeName(): string {
    return 'BatchNorm2d';
  }

  override extraRepr(): string {
    const m = this.momentum === null ? 'None' : String(this.momentum);
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${m}, affine=True, track_running_stats=True`;
  }

  outputShape(inputShape: readonly number[]): number[] {
    this.expectImages(inputShape);
    this.expectChannels(inputShape, this.numFeatures);
    return [...inputShape];
  }

  forward(x: tf.Tensor): tf.Tensor {
    this.checkInput(x);
    const [n, h, w] = x.shape;
    const count = n * h * w;
    if (!this.training) {
      return tf.tidy(() => {
        const inv = tf.rsqrt(tf.add(this.runningVar.variable, this.eps));
        return tf.add(tf.mul(tf.mul(tf.sub(x, this.runningMean.variable), inv), this.weight.value), this.bias.value);
      });
    }
    if (count < 2) {
      this.fail(torchShape(x.shape), 'too-small', `expected more than 1 value per channel when training (got ${count}); use a batch of 2 or more, or eval mode`);
    }
    const [y, mean, variance] = tf.tidy(() => {
      const m = tf.mean(x, [0, 1, 2]);
      const d = tf.sub(x, m);
      const v = tf.mean(tf.square(d), [0, 1, 2]);
      const out = tf.add(tf.mul(tf.mul(d, tf.rsqrt(tf.add(v, this.eps))), this.weight.value), this.bias.value);
      return [out, m, v];
    });
    this.updateRunningStats(mean, variance, count);
    mean.dispose();
    variance.dispose();
    return y;
  }

  private updateRunningStats(mean: tf.Tensor, biasedVar: tf.Tensor, count: number): void {
    tf.tidy(() => {
      const tracked = tf.add(this.numBatchesTracked.variable, tf.scalar(1, 'int32'));
      const factor: tf.Tensor | number = this.momentum === null ? tf.div(1, tf.cast(tracked, 'float32')) : this.momentum;
      const unbiased = tf.mul(biasedVar, count / (count - 1));
      const blend = (old: tf.Tensor, batch: tf.Tensor) => tf.add(tf.mul(old, tf.sub(1, factor)), tf.mul(batch, factor));
      this.runningMean.assign(blend(this.runningMean.variable, mean));
      this.runningVar.assign(blend(this.runningVar.variable, unbiased));
      this.numBatchesTracked.assign(tracked);
    });
  }
}

function torchShape(shape: readonly number[]): number[] {
  return [shape[0], shape[3], shape[1], shape[2]];
}
