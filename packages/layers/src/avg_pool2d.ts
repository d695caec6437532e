import * as tf from '@tensorflow/tfjs-core';
import { checkPoolArgs, Layer } from './layer.js';

/**
 * torch.nn.AvgPool2d(kernel_size, stride=kernel_size, padding=0) with PyTorch's defaults
 * (floor mode, count_include_pad=True): the input is zero-padded explicitly and then averaged
 * with a 'valid' window, so padded zeros count in the mean. (tfjs's own 'same' padding
 * excludes them and is never used here.)
 */
export class AvgPool2d extends Layer {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;

  constructor(kernelSize: number, stride?: number | null, padding = 0) {
    super();
    this.kernelSize = kernelSize;
    this.stride = stride ?? kernelSize;
    this.padding = padding;
    checkPoolArgs('AvgPool2d', this.kernelSize, this.stride, this.padding);
  }

  override get typeName(): string {
    return 'AvgPool2d';
  }

  override extraRepr(): string {
    return `kernel_size=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}`;
  }

  outputShape(inputShape: readonly number[]): number[] {
    const k = this.kernelSize;
    const [oh, ow] = this.windowOutput(inputShape, [k, k], [this.stride, this.stride], [this.padding, this.padding]);
    return [inputShape[0], inputShape[1], oh, ow];
  }

  forward(x: tf.Tensor): tf.Tensor {
    this.checkInput(x);
    const p = this.padding;
    return tf.tidy(() => {
      const padded = p === 0 ? x : tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]);
      return tf.avgPool(padded as tf.Tensor4D, this.kernelSize, this.stride, 'valid');
    });
  }
}
