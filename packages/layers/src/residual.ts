import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@convnets/core';
import { BatchNorm2d } from './batch_norm2d.js';
import { Conv2d } from './conv2d.js';
import { callChild, LayerInputError, withChildPath } from './errors.js';
import { Layer } from './layer.js';

/**
 * d2l's ResNet Residual(in_channels, out_channels, use_1x1conv=False, stride=1):
 *
 *   Y = relu(bn1(conv1(X))); Y = bn2(conv2(Y)); if conv3: X = conv3(X); return relu(Y + X)
 *
 * conv1 3×3 pad 1 stride s, conv2 3×3 pad 1, optional conv3 1×1 stride s on the shortcut;
 * registered in d2l's order conv1, conv2, conv3, bn1, bn2 (the state_dict key order).
 */
export class Residual extends Layer {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly stride: number;
  readonly conv1: Conv2d;
  readonly conv2: Conv2d;
  readonly conv3: Conv2d | null;
  readonly bn1: BatchNorm2d;
  readonly bn2: BatchNorm2d;

  constructor(inChannels: number, outChannels: number, use1x1conv = false, stride = 1, opts: { rng?: Rng } = {}) {
    super();
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.stride = stride;
    this.conv1 = this.registerModule('conv1', new Conv2d(inChannels, outChannels, 3, stride, 1, opts));
    this.conv2 = this.registerModule('conv2', new Conv2d(outChannels, outChannels, 3, 1, 1, opts));
    this.conv3 = use1x1conv ? this.registerModule('conv3', new Conv2d(inChannels, outChannels, 1, stride, 0, opts)) : null;
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(outChannels));
    this.bn2 = this.registerModule('bn2', new BatchNorm2d(outChannels));
  }

  override get typeName(): string {
    return 'Residual';
  }

  override reprLine(): string {
    return `Residual(${this.inChannels} → ${this.outChannels}, use_1x1conv=${this.conv3 ? 'True' : 'False'}, stride=${this.stride})`;
  }

  outputShape(inputShape: readonly number[]): number[] {
    let y = withChildPath('conv1', () => this.conv1.outputShape(inputShape));
    y = withChildPath('bn1', () => this.bn1.outputShape(y));
    y = withChildPath('conv2', () => this.conv2.outputShape(y));
    y = withChildPath('bn2', () => this.bn2.outputShape(y));
    const conv3 = this.conv3;
    const shortcut = conv3 ? withChildPath('conv3', () => conv3.outputShape(inputShape)) : [...inputShape];
    if (shortcut.some((d, i) => d !== y[i])) {
      throw new LayerInputError(
        this.reprLine(),
        inputShape,
        'channels',
        `the shortcut gives ${JSON.stringify(shortcut)} but the residual path gives ${JSON.stringify(y)}; use use1x1conv=true when the channels or stride change`,
      );
    }
    return y;
  }

  forward(x: tf.Tensor): tf.Tensor {
    this.checkInput(x);
    return tf.tidy(() => {
      let y = tf.relu(callChild('bn1', this.bn1, callChild('conv1', this.conv1, x)));
      y = callChild('bn2', this.bn2, callChild('conv2', this.conv2, y));
      const shortcut = this.conv3 ? callChild('conv3', this.conv3, x) : x;
      return tf.relu(tf.add(y, shortcut));
    });
  }
}
