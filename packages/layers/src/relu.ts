import * as tf from '@tensorflow/tfjs-core';
import { Layer } from './layer.js';

/** torch.nn.ReLU(): elementwise, any shape. */
export class ReLU extends Layer {
  override get typeName(): string {
    return 'ReLU';
  }

  outputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.relu(x);
  }
}
