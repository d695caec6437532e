import type { ActivationBiasGrad } from '@convnets/core';
import * as tf from '@tensorflow/tfjs-core';
import * as ACTIVATION_BIAS_GRAD from './activation_bias_grad_wasm.js';
import { asWasmBackend, wasmExports } from './instance.js';

type Kernel = (dy: number, y: number, g: number, acc: number, pixels: number, c: number, sigmoid: number) => void;

/** Rows summed in float32 before their sum joins the float64 total. */
const RUN = 256;

/**
 * activationBiasGrad on wasm, by activation_bias_grad.wat over the backend's memory. Null where
 * that memory cannot be reached.
 */
export const activationBiasGradWasm: ActivationBiasGrad = (dy, y, activation) => {
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
};
