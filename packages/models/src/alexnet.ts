import * as tf from '@tensorflow/tfjs-core';
import {
  callChild, Conv2d, Dropout, Flatten, Layer, LayerInputError, Linear, LocalResponseNorm, MaxPool2d, ReLU, Sequential, torchOrder, withChildPath,
} from '@convnets/layers';
import type { Module } from '@convnets/core';
import { type BaseModelOptions, positiveInt, product, setModelName } from './common.js';
import type { SummaryStage } from './summary.js';

export interface AlexNetOptions extends BaseModelOptions {
  /**
   * 1: the seed's code (Linear(256·5·5, 4096), ReLU, Dropout, Linear(4096, 10));
   * 2: the text's AlexNet, with the commented-out Linear(4096, 4096), ReLU, Dropout restored.
   * Default 2.
   */
  hiddenLayers?: 1 | 2;
  /** Insert LocalResponseNorm(5, 1e-4, 0.75, 2) after the ReLUs of conv1 and conv2 (the paper). Default false. */
  lrn?: boolean;
  /** Input side (sizes the first Linear: 256·5·5 at 224). Default 224. */
  inputSize?: number;
}

/**
 * The seed's AlexNet: `conv` (five convolutions, three max pools) and `fc`; forward() flattens
 * between them in NCHW order, as `feature.view(img.shape[0], -1)`.
 *
 *   conv: Conv2d(1, 96, 11, 4), ReLU, MaxPool2d(3, 2), Conv2d(96, 256, 5, 1, 2), ReLU, MaxPool2d(3, 2),
 *         Conv2d(256, 384, 3, 1, 1), ReLU, Conv2d(384, 384, 3, 1, 1), ReLU, Conv2d(384, 256, 3, 1, 1), ReLU, MaxPool2d(3, 2)
 *   fc:   Linear(256·5·5, 4096), ReLU, Dropout(0.5), [Linear(4096, 4096), ReLU, Dropout(0.5),] Linear(4096, 10)
 */
export class AlexNet extends Layer {
  readonly conv: Sequential;
  readonly fc: Sequential;
  readonly inputSize: number;
  /** conv's output [C, H, W] at inputSize (what fc was sized for). */
  readonly featureShape: [number, number, number];
  private readonly flatten = new Flatten();

  constructor(opts: AlexNetOptions = {}) {
    super();
    const inChannels = positiveInt('alexnet: inChannels', opts.inChannels ?? 1);
    const numClasses = positiveInt('alexnet: numClasses', opts.numClasses ?? 10);
    const hiddenLayers = opts.hiddenLayers ?? 2;
    if (hiddenLayers !== 1 && hiddenLayers !== 2) throw new Error(`alexnet: hiddenLayers must be 1 or 2, got ${JSON.stringify(hiddenLayers)}`);
    this.inputSize = positiveInt('alexnet: inputSize', opts.inputSize ?? 224);
    const rng = opts.rng;
    const lrn = (): Module[] => (opts.lrn ? [new LocalResponseNorm(5, 1e-4, 0.75, 2)] : []);

    this.conv = this.registerModule('conv', new Sequential(
      new Conv2d(inChannels, 96, 11, 4, 0, { rng }), // in_channels, out_channels, kernel_size, stride, padding
      new ReLU(),
      ...lrn(),
      new MaxPool2d(3, 2), // kernel_size, stride
      new Conv2d(96, 256, 5, 1, 2, { rng }),
      new ReLU(),
      ...lrn(),
      new MaxPool2d(3, 2),
      new Conv2d(256, 384, 3, 1, 1, { rng }),
      new ReLU(),
      new Conv2d(384, 384, 3, 1, 1, { rng }),
      new ReLU(),
      new Conv2d(384, 256, 3, 1, 1, { rng }),
      new ReLU(),
      new MaxPool2d(3, 2),
    ));
    let feature: number[];
    try {
      feature = withChildPath('conv', () => this.conv.outputShape([1, inChannels, this.inputSize, this.inputSize]));
    } catch (e) {
      this.conv.dispose();
      throw e;
    }
    this.featureShape = [feature[1], feature[2], feature[3]];
    const hidden: Module[] = [new Linear(product(this.featureShape), 4096, { rng }), new ReLU(), new Dropout(0.5)];
    if (hiddenLayers === 2) hidden.push(new Linear(4096, 4096, { rng }), new ReLU(), new Dropout(0.5));
    this.fc = this.registerModule('fc', new Sequential(...hidden, new Linear(4096, numClasses, { rng })));
    setModelName(this, 'alexnet');
  }

  override get typeName(): string {
    return 'AlexNet';
  }

  override reprLine(): string {
    return `AlexNet(inputSize=${this.inputSize})`;
  }

  outputShape(inputShape: readonly number[]): number[] {
    const feature = withChildPath('conv', () => this.conv.outputShape(inputShape));
    this.checkFeature(inputShape, feature);
    return withChildPath('fc', () => this.fc.outputShape(this.flatten.outputShape(feature)));
  }

  forward(img: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const feature = callChild('conv', this.conv, img);
      this.checkFeature(torchOrder(img.shape), torchOrder(feature.shape));
      return callChild('fc', this.fc, this.flatten.forward(feature));
    });
  }

  /** The seed's named_children() walk, with forward()'s flatten before fc. */
  summaryStages(): SummaryStage[] {
    return [
      { name: 'conv', module: this.conv },
      { name: 'fc', module: this.fc, input: (shape) => this.flatten.outputShape(shape) },
    ];
  }

  private checkFeature(inputShape: readonly number[], feature: readonly number[]): void {
    const [c, h, w] = this.featureShape;
    if (feature[1] !== c || feature[2] !== h || feature[3] !== w) {
      throw new LayerInputError(
        this.reprLine(),
        inputShape,
        'features',
        `conv gives ${feature[1]}×${feature[2]}×${feature[3]} features but fc was sized for ${c}×${h}×${w} (inputSize ${this.inputSize}); resize the images to ${this.inputSize}×${this.inputSize} or build with inputSize: ${inputShape[2]}`,
      );
    }
  }
}

/** Builds the seed's AlexNet (see AlexNet). */
export function alexnet(opts: AlexNetOptions = {}): AlexNet {
  return new AlexNet(opts);
}
