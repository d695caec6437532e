import * as tf from '@tensorflow/tfjs-core';
import { Layer } from './layer.js';

/** torch.nn.Sigmoid(): elementwise, any shape. */
export class Sigmoid extends Layer {
  override get typeName(): string {
    return 'Sigmoid';
  }

  outputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.sigmoid(x);
  }
}
