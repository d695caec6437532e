import * as tf from '@tensorflow/tfjs-core';
import { Layer } from './layer.js';

/**
 * The seed's GlobalAvgPool2d, `F.avg_pool2d(x, kernel_size=x.size()[2:])`: the mean over
 * height and width, keeping them as 1×1 ([N, C, H, W] → [N, C, 1, 1]; NHWC [N, 1, 1, C]).
 */
export class GlobalAvgPool2d extends Layer {
  override get typeName(): string {
    return 'GlobalAvgPool2d';
  }

  outputShape(inputShape: readonly number[]): number[] {
    const [n, c, h, w] = this.expectImages(inputShape);
    if (h < 1 || w < 1) this.fail(inputShape, 'too-small', 'there is nothing to average');
    return [n, c, 1, 1];
  }

  forward(x: tf.Tensor): tf.Tensor {
    this.checkInput(x);
    return tf.mean(x, [1, 2], true);
  }
}
