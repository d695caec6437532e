import { checkPoolArgs, Layer } from './layer.js';

/** What MaxPool2d and AvgPool2d share: PyTorch's (kernel_size, stride=kernel_size, padding=0), floor mode. */
export abstract class Pool2d extends Layer {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;

  constructor(layerName: string, kernelSize: number, stride?: number | null, padding = 0) {
    super();
    this.kernelSize = kernelSize;
    this.stride = stride ?? kernelSize;
    this.padding = padding;
    checkPoolArgs(layerName, this.kernelSize, this.stride, this.padding);
  }

  override extraRepr(): string {
    return `kernel_size=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}`;
  }

  outputShape(inputShape: readonly number[]): number[] {
    const k = this.kernelSize;
    const [oh, ow] = this.windowOutput(inputShape, [k, k], [this.stride, this.stride], [this.padding, this.padding]);
    return [inputShape[0], inputShape[1], oh, ow];
  }
}
