import * as tf from '@tensorflow/tfjs-core';
import * as ACTIVATION_BIAS_GRAD from './activation_bias_grad_wasm.js';
import { asWasmBackend, wasmExports } from './instance.js';

type Kernel = (dy: number, y: number, g: number, acc: number, pixels: number, c: number, sigmoid: number) => void;

/** Rows summed in float32 before their sum joins the float64 total. */
const RUN = 256;

/**
 * The gradient through a fused relu or sigmoid, from the activation's output y, and the bias
 * gradient (g summed over every axis but the last), in one pass over dy instead of three to
 * four tfjs ops (step or 1 - y, products, Sum): on wasm by wasm/activation_bias_grad.wat, on
 * cpu by one JavaScript loop over its arrays. g has the bits of tfjs's formulas
 * (dy·step(y), dy·(y·(1 - y))).
 *
 * Returns null on other backends (or where wasm's memory cannot be reached): the caller takes
 * the op path.
 */
export function activationBiasGrad(dy: tf.Tensor, y: tf.Tensor, activation: 'relu' | 'sigmoid'): { g: tf.Tensor; db: tf.Tensor1D } | null {
  if (dy.dtype !== 'float32' || y.dtype !== 'float32' || !tf.util.arraysEqual(dy.shape, y.shape)) return null;
  if (tf.getBackend() === 'cpu') return onCpu(dy, y, activation);
  const backend = asWasmBackend(tf.backend());
  const kernel = backend && wasmExports<{ activationBiasGrad: Kernel }>(backend, ACTIVATION_BIAS_GRAD)?.activationBiasGrad;
  if (!backend || !kernel) return null;
  const c = dy.shape[dy.shape.length - 1] ?? 1;
  const pixels = c === 0 ? 0 : dy.size / c;
  const g = backend.makeOutput(dy.shape.slice(), 'float32');
  const acc = backend.makeOutput([c], 'float32');
  const [dyAt, yAt, gAt, accAt] = [dy, y, g, acc].map((t) => backend.getMemoryOffset(t.dataId)) as [number, number, number, number];
  const totals = new Float64Array(c);
  const sigmoid = activation === 'sigmoid' ? 1 : 0;
  const partial = backend.typedArrayFromHeap(acc); // nothing below allocates: the view stays valid
  for (let p = 0; p < pixels; p += RUN) {
    partial.fill(0);
    kernel(dyAt + p * c * 4, yAt + p * c * 4, gAt + p * c * 4, accAt, Math.min(RUN, pixels - p), c, sigmoid);
    for (let j = 0; j < c; j++) totals[j] += partial[j]!;
  }
  backend.disposeData(acc.dataId);
  return { g: tf.engine().makeTensorFromTensorInfo(g), db: tf.tensor1d(Float32Array.from(totals)) };
}

function onCpu(dy: tf.Tensor, y: tf.Tensor, activation: 'relu' | 'sigmoid'): { g: tf.Tensor; db: tf.Tensor1D } {
  // tfjs cpu's readSync returns the stored arrays
  const [dv, yv] = [dy, y].map((t) => tf.backend().readSync(t.dataId)) as [Float32Array, Float32Array];
  const c = dy.shape[dy.shape.length - 1] ?? 1;
  const g = new Float32Array(dv.length);
  if (activation === 'sigmoid') {
    // rounded to float32 after each operation, as tfjs's sub and mul kernels store them
    for (let i = 0; i < g.length; i++) g[i] = dv[i]! * Math.fround(yv[i]! * Math.fround(1 - yv[i]!));
  } else {
    for (let i = 0; i < g.length; i++) g[i] = yv[i]! > 0 ? dv[i]! : Number.isNaN(yv[i]!) ? NaN : dv[i]! * 0;
  }
  const totals = new Float64Array(c);
  for (let i = 0, j = 0; i < g.length; i++) {
    totals[j]! += g[i]!;
    if (++j === c) j = 0;
  }
  return { g: tf.tensor(g, dy.shape, 'float32'), db: tf.tensor1d(Float32Array.from(totals)) };
}
