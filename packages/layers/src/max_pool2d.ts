import * as tf from '@tensorflow/tfjs-core';
import { Pool2d } from './pool2d.js';

/**
 * torch.nn.MaxPool2d(kernel_size, stride=kernel_size, padding=0), floor mode. Padding acts
 * as -∞ (padded cells never win), as in PyTorch: tfjs's pooling kernels skip cells outside
 * the input when given a numeric padding.
 */
export class MaxPool2d extends Pool2d {
  constructor(kernelSize: number, stride?: number | null, padding = 0) {
    super('MaxPool2d', kernelSize, stride, padding);
  }

  override get typeName(): string {
    return 'MaxPool2d';
  }

  override extraRepr(): string {
    return `${super.extraRepr()}, dilation=1, ceil_mode=False`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    this.checkInput(x);
    const pad = this.padding === 0 ? 'valid' : this.padding;
    return tf.maxPool(x as tf.Tensor4D, this.kernelSize, this.stride, pad);
  }
}
