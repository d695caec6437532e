/**
 * The comparator: the same five networks built with @tensorflow/tfjs-layers (NHWC, channels
 * last), layer for layer as interop/seed_nets.py writes them. Only used to time tfjs-layers.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { BenchModel } from './suite.js';

type Act = 'relu' | 'sigmoid';

function conv(filters: number, kernelSize: number, strides = 1, padding = 0, activation?: Act): tfl.layers.Layer[] {
  const out: tfl.layers.Layer[] = [];
  if (padding > 0) out.push(tfl.layers.zeroPadding2d({ padding }));
  out.push(tfl.layers.conv2d({ filters, kernelSize, strides, padding: 'valid', activation }));
  return out;
}

function maxPool(poolSize: number, strides: number): tfl.layers.Layer {
  return tfl.layers.maxPooling2d({ poolSize, strides, padding: 'valid' });
}

function sequential(inputSize: number, layers: tfl.layers.Layer[]): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(tfl.layers.inputLayer({ inputShape: [inputSize, inputSize, 1] }));
  for (const l of layers) model.add(l);
  return model;
}

function lenet(): tfl.LayersModel {
  return sequential(28, [
    ...conv(6, 5, 1, 2, 'sigmoid'),
    tfl.layers.averagePooling2d({ poolSize: 2, strides: 2 }),
    ...conv(16, 5, 1, 0, 'sigmoid'),
    tfl.layers.averagePooling2d({ poolSize: 2, strides: 2 }),
    tfl.layers.flatten(),
    tfl.layers.dense({ units: 120, activation: 'sigmoid' }),
    tfl.layers.dense({ units: 84, activation: 'sigmoid' }),
    tfl.layers.dense({ units: 10 }),
  ]);
}

function alexnet(): tfl.LayersModel {
  return sequential(224, [
    ...conv(96, 11, 4, 0, 'relu'), maxPool(3, 2),
    ...conv(256, 5, 1, 2, 'relu'), maxPool(3, 2),
    ...conv(384, 3, 1, 1, 'relu'),
    ...conv(384, 3, 1, 1, 'relu'),
    ...conv(256, 3, 1, 1, 'relu'), maxPool(3, 2),
    tfl.layers.flatten(),
    tfl.layers.dense({ units: 4096, activation: 'relu' }), tfl.layers.dropout({ rate: 0.5 }),
    tfl.layers.dense({ units: 10 }),
  ]);
}

function vgg11(ratio: number): tfl.LayersModel {
  const arch: [number, number][] = [[1, 64], [1, 128], [2, 256], [2, 512], [2, 512]];
  const layers: tfl.layers.Layer[] = [];
  for (const [n, c] of arch) {
    for (let i = 0; i < n; i++) layers.push(...conv(c / ratio, 3, 1, 1, 'relu'));
    layers.push(maxPool(2, 2));
  }
  const hidden = 4096 / ratio;
  layers.push(
    tfl.layers.flatten(),
    tfl.layers.dense({ units: hidden, activation: 'relu' }), tfl.layers.dropout({ rate: 0.5 }),
    tfl.layers.dense({ units: hidden, activation: 'relu' }), tfl.layers.dropout({ rate: 0.5 }),
    tfl.layers.dense({ units: 10 }),
  );
  return sequential(224, layers);
}

function ninBlock(c: number, k: number, s: number, p: number): tfl.layers.Layer[] {
  return [...conv(c, k, s, p, 'relu'), ...conv(c, 1, 1, 0, 'relu'), ...conv(c, 1, 1, 0, 'relu')];
}

function nin(): tfl.LayersModel {
  return sequential(224, [
    ...ninBlock(96, 11, 4, 0), maxPool(3, 2),
    ...ninBlock(256, 5, 1, 2), maxPool(3, 2),
    ...ninBlock(384, 3, 1, 1), maxPool(3, 2),
    tfl.layers.dropout({ rate: 0.5 }),
    ...ninBlock(10, 3, 1, 1),
    tfl.layers.globalAveragePooling2d({}),
  ]);
}

type Sym = tfl.SymbolicTensor;

function apply(layers: tfl.layers.Layer[], x: Sym): Sym {
  let y = x;
  for (const l of layers) y = l.apply(y) as Sym;
  return y;
}

function samePool(x: Sym, strides: number): Sym {
  // PyTorch MaxPool2d(3, stride, padding=1): pad then pool (pads with 0 after ReLU inputs;
  // the timing is what matters here, not the padding value).
  return apply([tfl.layers.zeroPadding2d({ padding: 1 }), maxPool(3, strides)], x);
}

function inception(x: Sym, c1: number, c2: [number, number], c3: [number, number], c4: number): Sym {
  const p1 = apply(conv(c1, 1, 1, 0, 'relu'), x);
  const p2 = apply([...conv(c2[0], 1, 1, 0, 'relu'), ...conv(c2[1], 3, 1, 1, 'relu')], x);
  const p3 = apply([...conv(c3[0], 1, 1, 0, 'relu'), ...conv(c3[1], 5, 1, 2, 'relu')], x);
  const p4 = apply(conv(c4, 1, 1, 0, 'relu'), samePool(x, 1));
  return tfl.layers.concatenate({ axis: -1 }).apply([p1, p2, p3, p4]) as Sym;
}

function googlenet(): tfl.LayersModel {
  const input = tfl.input({ shape: [96, 96, 1] });
  let x = apply(conv(64, 7, 2, 3, 'relu'), input);
  x = samePool(x, 2);
  x = apply([...conv(64, 1), ...conv(192, 3, 1, 1)], x); // the seed's b2: no ReLU
  x = samePool(x, 2);
  x = inception(x, 64, [96, 128], [16, 32], 32);
  x = inception(x, 128, [128, 192], [32, 96], 64);
  x = samePool(x, 2);
  x = inception(x, 192, [96, 208], [16, 48], 64);
  x = inception(x, 160, [112, 224], [24, 64], 64);
  x = inception(x, 128, [128, 256], [24, 64], 64);
  x = inception(x, 112, [144, 288], [32, 64], 64);
  x = inception(x, 256, [160, 320], [32, 128], 128);
  x = samePool(x, 2);
  x = inception(x, 256, [160, 320], [32, 128], 128);
  x = inception(x, 384, [192, 384], [48, 128], 128);
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as Sym;
  const out = tfl.layers.dense({ units: 10 }).apply(x) as Sym;
  return tfl.model({ inputs: input, outputs: out });
}

/** The network as a tfjs-layers model: input [B,H,W,1], output logits [B,10]. */
export function buildTfjsLayersModel(id: BenchModel): tfl.LayersModel {
  switch (id) {
    case 'lenet': return lenet();
    case 'alexnet': return alexnet();
    case 'vgg11-8': return vgg11(8);
    case 'nin': return nin();
    case 'googlenet': return googlenet();
  }
}
