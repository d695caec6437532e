import * as tf from '@tensorflow/tfjs-core';
import { defaultRng, type Parameter, pytorchDefaultParameters, type Rng } from '@convnets/core';
import { fusedConv2d, type ConvActivation, type ConvPad } from './fused_conv2d.js';
import { Layer, pair, type Pair } from './layer.js';

export interface Conv2dOptions {
  /** Where PyTorch's default init draws from (default: defaultRng(), reseeded by manualSeed). */
  rng?: Rng;
  /** Learn an additive bias (default true, as nn.Conv2d). */
  bias?: boolean;
}

/**
 * torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0): parameters
 * `weight` (PyTorch [out, in, kh, kw], stored as tfjs [kh, kw, in, out]) and `bias` [out],
 * initialised like PyTorch (U(±1/√fan_in)). Zero padding on both sides of H and W.
 */
export class Conv2d extends Layer {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, stride: Pair = 1, padding: Pair = 0, opts: Conv2dOptions = {}) {
    super();
    for (const [what, v] of [['inChannels', inChannels], ['outChannels', outChannels]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`Conv2d: ${what} must be a positive integer, got ${v}`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair(kernelSize, 'Conv2d kernel_size', 1);
    this.stride = pair(stride, 'Conv2d stride', 1);
    this.padding = pair(padding, 'Conv2d padding', 0);
    const dims = [outChannels, inChannels, this.kernelSize[0], this.kernelSize[1]];
    const { weight, bias } = pytorchDefaultParameters('conv2d', dims, opts.rng ?? defaultRng(), opts.bias ?? true);
    this.weight = this.registerParameter('weight', weight);
    this.bias = bias && this.registerParameter('bias', bias);
  }

  override get typeName(): string {
    return 'Conv2d';
  }

  override extraRepr(): string {
    const [kh, kw] = this.kernelSize;
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=(${kh}, ${kw}), stride=(${this.stride[0]}, ${this.stride[1]})`;
    if (this.padding[0] || this.padding[1]) s += `, padding=(${this.padding[0]}, ${this.padding[1]})`;
    if (!this.bias) s += ', bias=False';
    return s;
  }

  outputShape(inputShape: readonly number[]): number[] {
    this.expectImages(inputShape);
    this.expectChannels(inputShape, this.inChannels);
    const [oh, ow] = this.windowOutput(inputShape, this.kernelSize, this.stride, this.padding);
    return [inputShape[0], this.outChannels, oh, ow];
  }

  forward(x: tf.Tensor): tf.Tensor {
    return this.convolve(x, 'linear');
  }

  /** relu(forward(x)) in one fused kernel; Sequential and Inception use it for Conv2d → ReLU. */
  forwardRelu(x: tf.Tensor): tf.Tensor {
    return this.convolve(x, 'relu');
  }

  /** sigmoid(forward(x)) in one fused kernel; Sequential uses it for Conv2d → Sigmoid (LeNet). */
  forwardSigmoid(x: tf.Tensor): tf.Tensor {
    return this.convolve(x, 'sigmoid');
  }

  private convolve(x: tf.Tensor, activation: ConvActivation): tf.Tensor {
    this.checkInput(x);
    const [ph, pw] = this.padding;
    const pad: ConvPad = ph === 0 && pw === 0 ? 'valid' : [[0, 0], [ph, ph], [pw, pw], [0, 0]];
    return fusedConv2d(x as tf.Tensor4D, this.weight.value as tf.Tensor4D, this.bias?.value as tf.Tensor1D | undefined, this.stride, pad, activation);
  }
}
