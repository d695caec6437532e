/**
 * Conv2DBackpropFilter, tfjs's own kernel against convnets' (a forward convolution), on one
 * backend, for the D2L networks' convolution shapes; prints ms, GFLOP/s and the difference.
 *
 *   node --conditions=@convnets/source --import tsx packages/backends/scripts/filter-grad-bench.ts webgpu ['[[n,h,w,c,k,o,stride,pad],...]']
 *
 * REPS (default 3) timed calls after one warm-up; each timing ends on a read of the result.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { useBackend, type BackendName } from '../src/index.js';
import { stockKernel } from '../src/training_kernels.js';

type Shape = [n: number, h: number, w: number, c: number, k: number, o: number, stride: number, pad: number];
const backendName = (process.argv[2] ?? 'webgpu') as BackendName;
const DEFAULT_SHAPES: Shape[] = [
  [256, 28, 28, 1, 5, 6, 1, 2], // LeNet conv1
  [128, 224, 224, 1, 11, 96, 4, 1], // AlexNet conv1
  [128, 26, 26, 96, 5, 256, 1, 2], // AlexNet conv2
  [128, 224, 224, 1, 3, 8, 1, 1], // VGG-11/8 conv1
  [128, 54, 54, 96, 1, 96, 1, 0], // NiN 1x1
];
const shapes = (process.argv[3] ? JSON.parse(process.argv[3]) : DEFAULT_SHAPES) as Shape[];
const reps = Number(process.env.REPS ?? 3);

async function msPerCall(f: () => tf.Tensor): Promise<number> {
  const warm = f();
  await warm.data();
  warm.dispose();
  const t0 = performance.now();
  let last: tf.Tensor | undefined;
  for (let i = 0; i < reps; i++) {
    last?.dispose();
    last = f();
  }
  await last!.data();
  last!.dispose();
  return (performance.now() - t0) / reps;
}

console.log('backend', JSON.stringify(await useBackend(backendName, { allowFallbackAdapter: true })));
const stock = stockKernel('Conv2DBackpropFilter', backendName) as KernelFunc | undefined;
for (const [n, h, w, c, k, o, s, p] of shapes) {
  const x = tf.randomUniform([n, h, w, c]) as tf.Tensor4D;
  const pad = [[0, 0], [p, p], [p, p], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]];
  const [oh, ow] = [Math.floor((h + 2 * p - k) / s) + 1, Math.floor((w + 2 * p - k) / s) + 1];
  const dy = tf.randomUniform([n, oh, ow, o]);
  const attrs = { strides: s, pad, dataFormat: 'NHWC', filterShape: [k, k, c, o] };
  const ours = () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never) as tf.Tensor;
  const flop = 2 * n * oh * ow * k * k * c * o;
  const label = `dW [${n},${h},${w},${c}] k${k} o${o} s${s}`;
  const tOurs = await msPerCall(ours);
  const oursText = `convnets ${tOurs.toFixed(1)} ms (${(flop / tOurs / 1e6).toFixed(1)} GFLOP/s)`;
  if (!stock) {
    console.log(`${label}: ${oursText}; tfjs has no kernel on ${backendName}`);
  } else {
    const viaStock = () => tf.engine().makeTensorFromTensorInfo(stock({ inputs: { x, dy } as never, attrs: attrs as never, backend: tf.backend() }) as TensorInfo);
    const [a, b] = [ours(), viaStock()];
    const [av, bv] = [await a.data(), await b.data()];
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < bv.length; i++) {
      diff = Math.max(diff, Math.abs(av[i]! - bv[i]!));
      scale = Math.max(scale, Math.abs(bv[i]!));
    }
    tf.dispose([a, b]);
    const tStock = await msPerCall(viaStock);
    console.log(`${label}: tfjs ${tStock.toFixed(1)} ms (${(flop / tStock / 1e6).toFixed(1)} GFLOP/s), ${oursText}, ${(tStock / tOurs).toFixed(1)}x, max difference ${(diff / scale).toExponential(1)} of the largest`);
  }
  tf.dispose([x, dy]);
}
process.exit(0);
