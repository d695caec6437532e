import { Dropout, Flatten, Linear, MaxPool2d, ReLU, Sequential, vggBlock, withChildPath } from '@convnets/layers';
import { type BaseModelOptions, positiveInt, setModelName } from './common.js';

/** One VGG block: [numConvs, inChannels, outChannels]. */
export type VggBlockSpec = readonly [numConvs: number, inChannels: number, outChannels: number];

/** The seed's conv_arch: VGG-11 (8 convolutions in 5 blocks). */
export const CONV_ARCH: readonly VggBlockSpec[] = [[1, 1, 64], [1, 64, 128], [2, 128, 256], [2, 256, 512], [2, 512, 512]];

/** The seed's small_conv_arch: every width of CONV_ARCH divided (floor) by ratio. */
export function smallConvArch(ratio: number, inChannels = 1): VggBlockSpec[] {
  positiveInt('smallConvArch: ratio', ratio);
  const d = (c: number) => Math.floor(c / ratio);
  if (d(64) < 1) throw new Error(`smallConvArch: ratio ${ratio} leaves no channels (64/${ratio} < 1); use a ratio of at most 64`);
  return CONV_ARCH.map(([n, cin, cout], i) => [n, i === 0 ? inChannels : d(cin), d(cout)] as const);
}

export interface VggOptions {
  /** Output classes (the seed hard-codes 10). Default 10. */
  numClasses?: number;
  rng?: BaseModelOptions['rng'];
}

/**
 * The seed's vgg(conv_arch, fc_features, fc_hidden_units=4096): children vgg_block_1 … N and
 * fc = Sequential(Flatten, Linear(fc_features, hidden), ReLU, Dropout(0.5),
 * Linear(hidden, hidden), ReLU, Dropout(0.5), Linear(hidden, 10)) — keys fc.1, fc.4, fc.7.
 */
export function vgg(convArch: readonly VggBlockSpec[], fcFeatures: number, fcHiddenUnits = 4096, opts: VggOptions = {}): Sequential {
  const numClasses = positiveInt('vgg: numClasses', opts.numClasses ?? 10);
  const rng = opts.rng;
  const net = new Sequential();
  convArch.forEach(([numConvs, inChannels, outChannels], i) => {
    net.addModule(`vgg_block_${i + 1}`, vggBlock(numConvs, inChannels, outChannels, { rng }));
  });
  net.addModule('fc', new Sequential(
    new Flatten(),
    new Linear(fcFeatures, fcHiddenUnits, { rng }),
    new ReLU(),
    new Dropout(0.5),
    new Linear(fcHiddenUnits, fcHiddenUnits, { rng }),
    new ReLU(),
    new Dropout(0.5),
    new Linear(fcHiddenUnits, numClasses, { rng }),
  ));
  return net;
}

export interface Vgg11Options extends BaseModelOptions {
  /** Divides every width as the seed's `ratio` (8 is the network it trains). Default 1 (full VGG-11). */
  ratio?: number;
  /** Input side (224 → 7×7 after five halvings). Default 224. */
  inputSize?: number;
}

/**
 * VGG-11 as the seed builds it: vgg(smallConvArch(r), (512/r)·(s/32)², 4096/r) for input side
 * s (at 224 that is 512·7·7/r, the seed's fc_features // ratio).
 */
export function vgg11(opts: Vgg11Options = {}): Sequential {
  const ratio = positiveInt('vgg11: ratio', opts.ratio ?? 1);
  const inChannels = positiveInt('vgg11: inChannels', opts.inChannels ?? 1);
  const inputSize = positiveInt('vgg11: inputSize', opts.inputSize ?? 224);
  const arch = smallConvArch(ratio, inChannels);
  // The 3×3/pad-1 convolutions keep the size; each block's MaxPool2d(2, 2) halves it.
  let shape = [1, inChannels, inputSize, inputSize];
  arch.forEach(([n, , out], i) => {
    const pool = new MaxPool2d(2, 2);
    shape = withChildPath(`vgg_block_${i + 1}`, () => withChildPath(String(2 * n), () => pool.outputShape([1, out, shape[2], shape[3]])));
  });
  const fcFeatures = shape[1] * shape[2] * shape[3];
  const hidden = Math.floor(4096 / ratio);
  return setModelName(vgg(arch, fcFeatures, hidden, { numClasses: opts.numClasses, rng: opts.rng }), 'vgg11');
}
