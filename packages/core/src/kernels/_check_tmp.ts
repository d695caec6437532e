import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerTrainingKernels, stockKernel } from './conv_grad_kernels.js';
await tf.setBackend('wasm'); await tf.ready(); await tf.setBackend('cpu');
const cpuStockF = tf.getKernel('Conv2DBackpropFilter', 'cpu')!.kernelFunc;
const cpuStockI = tf.getKernel('Conv2DBackpropInput', 'cpu')!.kernelFunc;
console.log(registerTrainingKernels());
void stockKernel;
function rnd(shape: number[], seed: number) { return tf.randomUniform(shape, -1, 1, 'float32', seed); }
let worst = 0; let cases = 0;
for (const s of [1, 2, 4]) for (const k of [1, 3, 5, 11]) for (const pad of ['valid', 0, 1, 2, 'same'] as const) for (const [n, c, o, h, w] of [[1, 1, 3, 13, 17], [2, 3, 16, 28, 21], [3, 16, 5, 31, 30]]) {
  if (k > h) continue;
  const padArg = typeof pad === 'number' ? [[0, 0], [pad, pad], [pad, pad], [0, 0]] : pad;
  const xv = rnd([n, h, w, c], 1); const wv = rnd([k, k, c, o], 2);
  const outShape = tf.conv2d(xv as tf.Tensor4D, wv as tf.Tensor4D, s, padArg as never).shape;
  const dyv = rnd(outShape, 3);
  const attrsF = { strides: s, pad: padArg, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [k, k, c, o] };
  const attrsI = { strides: s, pad: padArg, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: [n, h, w, c] };
  const refF = tf.engine().runKernelFunc ? null : null; void refF;
  const cpuB = tf.findBackend('cpu')!;
  const refFi = cpuStockF({ inputs: { x: xv, dy: dyv }, attrs: attrsF as never, backend: cpuB }) as tf.TensorInfo;
  const refIi = cpuStockI({ inputs: { dy: dyv, filter: wv }, attrs: attrsI as never, backend: cpuB }) as tf.TensorInfo;
  const refFv = cpuB.readSync(refFi.dataId) as Float32Array; const refIv = cpuB.readSync(refIi.dataId) as Float32Array;
  for (const be of ['cpu', 'wasm']) {
    await tf.setBackend(be);
    const x2 = tf.tensor(xv.dataSync(), xv.shape); const w2 = tf.tensor(wv.dataSync(), wv.shape); const dy2 = tf.tensor(dyv.dataSync(), dyv.shape);
    const gF = tf.engine().runKernel('Conv2DBackpropFilter', { x: x2, dy: dy2 }, attrsF as never) as tf.Tensor;
    const gI = tf.engine().runKernel('Conv2DBackpropInput', { dy: dy2, filter: w2 }, attrsI as never) as tf.Tensor;
    for (const [got, ref, nm] of [[gF.dataSync(), refFv, 'F'], [gI.dataSync(), refIv, 'I']] as const) {
      let maxAbs = 0, maxRef = 0;
      if (got.length !== ref.length) { console.log('LEN MISMATCH', be, nm, s, k, pad, n, c, o, h, w, got.length, ref.length); continue; }
      for (let i = 0; i < ref.length; i++) { maxAbs = Math.max(maxAbs, Math.abs(got[i]! - ref[i]!)); maxRef = Math.max(maxRef, Math.abs(ref[i]!)); }
      const rel = maxAbs / Math.max(maxRef, 1e-12); worst = Math.max(worst, rel); cases++;
      if (rel > 1e-5) console.log('BAD', be, nm, { s, k, pad, n, c, o, h, w }, rel);
    }
    tf.dispose([x2, w2, dy2, gF, gI]);
    await tf.setBackend('cpu');
  }
  tf.dispose([xv, wv, dyv]);
}
console.log('cases', cases, 'worst rel', worst, tf.memory().numTensors);
