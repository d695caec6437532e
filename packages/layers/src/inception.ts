import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@convnets/core';
import { Conv2d } from './conv2d.js';
import { callChild, withChildPath } from './errors.js';
import { Layer } from './layer.js';
import { MaxPool2d } from './max_pool2d.js';

/**
 * The seed's Inception(in_c, c1, c2, c3, c4): four parallel paths whose outputs are
 * concatenated on the channels (dim 1 in NCHW, axis 3 in our NHWC tensors):
 * 1. p1_1: 1×1 conv → c1
 * 2. p2_1: 1×1 conv → c2[0], p2_2: 3×3 conv pad 1 → c2[1]
 * 3. p3_1: 1×1 conv → c3[0], p3_2: 5×5 conv pad 2 → c3[1]
 * 4. p4_1: 3×3 max pool stride 1 pad 1, p4_2: 1×1 conv → c4
 * each followed by ReLU (F.relu in the forward, no ReLU modules). Height and width are kept.
 */
export class Inception extends Layer {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly p1_1: Conv2d;
  readonly p2_1: Conv2d;
  readonly p2_2: Conv2d;
  readonly p3_1: Conv2d;
  readonly p3_2: Conv2d;
  readonly p4_1: MaxPool2d;
  readonly p4_2: Conv2d;

  constructor(inC: number, c1: number, c2: readonly [number, number], c3: readonly [number, number], c4: number, opts: { rng?: Rng } = {}) {
    super();
    this.inChannels = inC;
    this.outChannels = c1 + c2[1] + c3[1] + c4;
    this.p1_1 = this.registerModule('p1_1', new Conv2d(inC, c1, 1, 1, 0, opts));
    this.p2_1 = this.registerModule('p2_1', new Conv2d(inC, c2[0], 1, 1, 0, opts));
    this.p2_2 = this.registerModule('p2_2', new Conv2d(c2[0], c2[1], 3, 1, 1, opts));
    this.p3_1 = this.registerModule('p3_1', new Conv2d(inC, c3[0], 1, 1, 0, opts));
    this.p3_2 = this.registerModule('p3_2', new Conv2d(c3[0], c3[1], 5, 1, 2, opts));
    this.p4_1 = this.registerModule('p4_1', new MaxPool2d(3, 1, 1));
    this.p4_2 = this.registerModule('p4_2', new Conv2d(inC, c4, 1, 1, 0, opts));
  }

  override get typeName(): string {
    return 'Inception';
  }

  override reprLine(): string {
    return `Inception(${this.inChannels} → ${this.outChannels} channels)`;
  }

  outputShape(inputShape: readonly number[]): number[] {
    // Every path keeps H×W; check each child so errors name the path that fails.
    const shapes = [
      withChildPath('p1_1', () => this.p1_1.outputShape(inputShape)),
      withChildPath('p2_2', () => this.p2_2.outputShape(withChildPath('p2_1', () => this.p2_1.outputShape(inputShape)))),
      withChildPath('p3_2', () => this.p3_2.outputShape(withChildPath('p3_1', () => this.p3_1.outputShape(inputShape)))),
      withChildPath('p4_2', () => this.p4_2.outputShape(withChildPath('p4_1', () => this.p4_1.outputShape(inputShape)))),
    ];
    const [n, , h, w] = shapes[0];
    return [n, shapes.reduce((c, s) => c + s[1], 0), h, w];
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      // relu(conv(x)), each as one fused kernel.
      const relu = (name: string, conv: Conv2d, input: tf.Tensor) => withChildPath(name, () => conv.forwardRelu(input));
      const p1 = relu('p1_1', this.p1_1, x);
      const p2 = relu('p2_2', this.p2_2, relu('p2_1', this.p2_1, x));
      const p3 = relu('p3_2', this.p3_2, relu('p3_1', this.p3_1, x));
      const p4 = relu('p4_2', this.p4_2, callChild('p4_1', this.p4_1, x));
      return tf.concat([p1, p2, p3, p4], 3);
    });
  }
}
