import * as tf from '@tensorflow/tfjs-core';
import { Pool2d } from './pool2d.js';

/**
 * torch.nn.AvgPool2d(kernel_size, stride=kernel_size, padding=0) with PyTorch's defaults
 * (floor mode, count_include_pad=True): the input is zero-padded explicitly and then averaged
 * with a 'valid' window, so padded zeros count in the mean. (tfjs's own 'same' padding
 * excludes them and is never used here.)
 */
export class AvgPool2d extends Pool2d {
  constructor(kernelSize: number, stride?: number | null, padding = 0) {
    super('AvgPool2d', kernelSize, stride, padding);
  }

  override get typeName(): string {
    return 'AvgPool2d';
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
