/**
 * convnets' webgpu convolution kernels against tfjs-webgpu's, layer by layer, in one process,
 * taking turns (ours, tfjs, tfjs, ours): milliseconds per call of the forward pass (FusedConv2D
 * with bias and relu), the input gradient and the filter gradient, and the largest difference
 * between the two relative to tfjs's largest value.
 *
 *   node --conditions=@convnets/source --import tsx apps/bench/scripts/webgpu-conv-ab.ts [batch] [layer-name-filter]
 *
 * Every call is timed to its result read back (3 calls, then one read); on llvmpipe the "GPU"
 * is this machine's CPU. The input gradient of a network's first layer is timed too, though
 * training never computes it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { stockKernel, useBackend } from '@convnets/backends';
import { relativeError } from '../../../packages/backends/test/relative_error.js';

type Pad = [[number, number], [number, number], [number, number], [number, number]];
const p = (n: number): Pad => [[0, 0], [n, n], [n, n], [0, 0]];
/** [name, input H×W×C, filter [fh, fw, in, out], stride, pad]. */
const LAYERS: [string, [number, number, number], [number, number, number, number], number, Pad][] = [
  ['lenet c1', [28, 28, 1], [5, 5, 1, 6], 1, p(2)],
  ['lenet c2', [14, 14, 6], [5, 5, 6, 16], 1, p(0)],
  ['alexnet c1', [224, 224, 1], [11, 11, 1, 96], 4, p(1)],
  ['alexnet c2', [26, 26, 96], [5, 5, 96, 256], 1, p(2)],
  ['alexnet c3', [12, 12, 256], [3, 3, 256, 384], 1, p(1)],
  ['vgg11-8 c1', [224, 224, 1], [3, 3, 1, 8], 1, p(1)],
  ['vgg11-8 c2', [112, 112, 8], [3, 3, 8, 16], 1, p(1)],
  ['vgg11-8 c3', [56, 56, 16], [3, 3, 16, 32], 1, p(1)],
  ['vgg11-8 c5', [28, 28, 32], [3, 3, 32, 64], 1, p(1)],
  ['nin 1x1 96', [54, 54, 96], [1, 1, 96, 96], 1, p(0)],
  ['nin 5x5 256', [26, 26, 96], [5, 5, 96, 256], 1, p(2)],
  ['googlenet b1 7x7', [96, 96, 1], [7, 7, 1, 64], 2, p(3)],
  ['googlenet b2 3x3', [24, 24, 64], [3, 3, 64, 192], 1, p(1)],
  ['googlenet 3a 5x5', [12, 12, 16], [5, 5, 16, 32], 1, p(2)],
];

const batch = Number(process.argv[2] ?? 8);
const only = process.argv[3] ?? '';
await useBackend('webgpu', { allowFallbackAdapter: true });
const backend = tf.backend();

async function time(kernel: KernelFunc, inputs: tf.NamedTensorMap, attrs: object): Promise<{ ms: number; values: Float32Array }> {
  const call = () => tf.engine().makeTensorFromTensorInfo(kernel({ inputs, backend, attrs: attrs as never }) as tf.TensorInfo);
  const warm = call();
  const values = (await warm.data()) as Float32Array;
  warm.dispose();
  const t0 = performance.now();
  const outs = [call(), call(), call()];
  await outs[2]!.data();
  const ms = (performance.now() - t0) / 3;
  tf.dispose(outs);
  return { ms, values };
}

console.log(`webgpu convolutions, batch ${batch}: ms per call, convnets vs tfjs-webgpu (best of 2 turns)`);
for (const [name, [h, w, c], filterShape, s, pad] of LAYERS.filter(([n]) => n.includes(only))) {
  const x = tf.randomUniform([batch, h, w, c], -1, 1, 'float32', 1);
  const filter = tf.randomUniform(filterShape, -1, 1, 'float32', 2);
  const bias = tf.randomUniform([filterShape[3]], -1, 1, 'float32', 3);
  const attrs = { strides: [s, s], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined, activation: 'relu', leakyreluAlpha: 0 };
  const y = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, s, pad);
  const cases: [string, string, tf.NamedTensorMap, object][] = [
    ['forward', 'FusedConv2D', { x, filter, bias }, attrs],
    ['input grad', 'Conv2DBackpropInput', { dy: y, filter }, { ...attrs, inputShape: x.shape }],
    ['filter grad', 'Conv2DBackpropFilter', { x, dy: y }, { ...attrs, filterShape }],
  ];
  const line: string[] = [];
  for (const [what, kernelName, inputs, a] of cases) {
    const ours = tf.getKernel(kernelName, 'webgpu')!.kernelFunc;
    const stock = stockKernel(kernelName, 'webgpu')!;
    const best = { ours: Infinity, stock: Infinity };
    let err = 0;
    for (const order of [['ours', 'stock'], ['stock', 'ours']] as const) {
      const r: Partial<Record<'ours' | 'stock', Float32Array>> = {};
      for (const side of order) {
        const { ms, values } = await time(side === 'ours' ? ours : stock, inputs, a);
        best[side] = Math.min(best[side], ms);
        r[side] = values;
      }
      err = relativeError(r.ours!, r.stock!);
    }
    line.push(`${what} ${best.ours.toFixed(1)} vs ${best.stock.toFixed(1)} (${(best.stock / best.ours).toFixed(2)}x, err ${err.toExponential(1)})`);
  }
  console.log(`${name.padEnd(18)} ${line.join(' | ')}`);
  tf.dispose([x, filter, bias, y]);
}
process.exit(0);
