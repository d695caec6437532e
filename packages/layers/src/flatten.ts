import * as tf from '@tensorflow/tfjs-core';
import { Layer } from './layer.js';

/**
 * d2l's FlattenLayer (`x.view(x.shape[0], -1)`) in PyTorch's element order: an NHWC image
 * batch is transposed to NCHW before the reshape, so the Linear layer after it has exactly
 * PyTorch's weights (weights load from PyTorch with no permutation).
 */
export class Flatten extends Layer {
  override get typeName(): string {
    return 'Flatten';
  }

  outputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length < 1) this.fail(inputShape, 'rank', 'expected a batch with a leading batch dimension');
    return [inputShape[0], inputShape.slice(1).reduce((a, b) => a * b, 1)];
  }

  forward(x: tf.Tensor): tf.Tensor {
    const [n, f] = this.outputShape(x.shape);
    if (x.rank !== 4) return tf.reshape(x, [n, f]);
    return tf.tidy(() => tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [n, f]));
  }
}
