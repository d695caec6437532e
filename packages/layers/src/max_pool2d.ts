import * as tf from '@tensorflow/tfjs-core';
import { checkPoolArgs, Layer } from './layer.js';

/**
 * torch.nn.MaxPool2d(kernel_size, stride=kernel_size, padding=0), floor mode. Padding acts
 * as -∞ (padded cells never win), as in PyTorch: tfjs's pooling kernels skip cells outside
 * the input when given a numeric padding.
 */
export class MaxPool2d extends Layer {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;

  constructor(kernelSize: number, stride?: number | null, padding = 0) {
    super();
    this.kernelSize = kernelSize;
    this.stride = stride ?? kernelSize;
    this.padding = padding;
    checkPoolArgs('MaxPool2d', this.kernelSize, this.stride, this.padding);
  }

  override get typeName(): string {
    return 'MaxPool2d';
  }

  override extraRepr(): string {
    return `kernel_size=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}, dilation=1, ceil_mode=False`;
  }

  outputShape(inputShape: readonly number[]): number[] {
    const k = this.kernelSize;
    const [oh, ow] = this.windowOutput(inputShape, [k, k], [this.stride, this.stride], [this.padding, this.padding]);
    return [inputShape[0], inputShape[1], oh, ow];
  }

  forward(x: tf.Tensor): tf.Tensor {
    this.checkInput(x);
    const pad = this.padding === 0 ? 'valid' : this.padding;
    return tf.maxPool(x as tf.Tensor4D, this.kernelSize, this.stride, pad);
  }
}
