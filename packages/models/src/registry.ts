import type { Module, Rng } from '@convnets/core';
import { alexnet } from './alexnet.js';
import { googlenet } from './googlenet.js';
import { lenet } from './lenet.js';
import { nin } from './nin.js';
import { resnet18 } from './resnet.js';
import { vgg11 } from './vgg.js';
import { inferOutputShape } from '@convnets/layers';

export const MODEL_NAMES = ['lenet', 'alexnet', 'vgg11', 'nin', 'googlenet', 'resnet18'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export interface CreateModelOptions {
  inChannels?: number;
  numClasses?: number;
  /** Input side the network is built for (sizes the first Linear of lenet, alexnet, vgg11). Default defaultInputSize(name). */
  inputSize?: number;
  /** Divides the channel widths: vgg11's ratio (8 is the seed's trained VGG). Other models accept only 1. */
  widthRatio?: number;
  rng?: Rng;
  /** lenet only. */
  activation?: 'sigmoid' | 'relu';
  /** lenet only. */
  pool?: 'avg' | 'max';
  /** alexnet only. */
  hiddenLayers?: 1 | 2;
  /** alexnet only. */
  lrn?: boolean;
}

const INPUT_SIZE: Record<ModelName, number> = { lenet: 28, alexnet: 224, vgg11: 224, nin: 224, googlenet: 96, resnet18: 96 };
const VARIANT_OPTIONS: Record<ModelName, readonly string[]> = {
  lenet: ['activation', 'pool'],
  alexnet: ['hiddenLayers', 'lrn'],
  vgg11: ['widthRatio'],
  nin: [],
  googlenet: [],
  resnet18: [],
};
const COMMON = ['inChannels', 'numClasses', 'inputSize', 'widthRatio', 'rng'];

export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
}

function checkName(name: string): ModelName {
  if (!isModelName(name)) throw new Error(`Unknown model "${name}": choose one of ${MODEL_NAMES.join(', ')}`);
  return name;
}

/** The input side the seed feeds a model: lenet 28, alexnet/vgg11/nin 224, googlenet/resnet18 96. */
export function defaultInputSize(name: ModelName | string): number {
  return INPUT_SIZE[checkName(name)];
}

/**
 * Builds a model by name with PyTorch's default init. Options a model does not take are an
 * error; so is an input size too small for it (the message names the layer and the shape).
 */
export function createModel(name: ModelName | string, opts: CreateModelOptions = {}): Module {
  const model = checkName(name);
  const allowed = new Set([...COMMON, ...VARIANT_OPTIONS[model]]);
  const wrong = Object.keys(opts).filter((k) => !allowed.has(k) && (opts as Record<string, unknown>)[k] !== undefined);
  if (wrong.length) {
    throw new Error(`createModel("${model}"): unknown or inapplicable option(s) ${wrong.join(', ')}; it takes ${[...allowed].join(', ')}`);
  }
  const ratio = opts.widthRatio ?? 1;
  if (model !== 'vgg11' && ratio !== 1) throw new Error(`createModel("${model}"): widthRatio is only supported by vgg11 (got ${ratio}); omit it or use 1`);
  const inputSize = opts.inputSize ?? INPUT_SIZE[model];
  const base = { inChannels: opts.inChannels, numClasses: opts.numClasses, rng: opts.rng };
  let net: Module;
  switch (model) {
    case 'lenet':
      net = lenet({ ...base, inputSize, activation: opts.activation, pool: opts.pool });
      break;
    case 'alexnet':
      net = alexnet({ ...base, inputSize, hiddenLayers: opts.hiddenLayers, lrn: opts.lrn });
      break;
    case 'vgg11':
      net = vgg11({ ...base, inputSize, ratio });
      break;
    case 'nin':
      net = nin(base);
      break;
    case 'googlenet':
      net = googlenet(base);
      break;
    case 'resnet18':
      net = resnet18(base);
      break;
  }
  // Fail now, with the layer's name, if the network cannot take inputSize-sized images.
  try {
    inferOutputShape(net, [1, opts.inChannels ?? 1, inputSize, inputSize]);
  } catch (e) {
    net.dispose();
    throw e;
  }
  return net;
}
