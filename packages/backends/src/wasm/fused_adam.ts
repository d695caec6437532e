import type { FusedAdamStep } from '@convnets/core';
import * as tf from '@tensorflow/tfjs-core';
import * as ADAM_SIMD from './adam_simd_wasm.js';
import { asWasmBackend, wasmExports } from './instance.js';

type AdamFn = (p: number, g: number, m: number, v: number, out: number, n: number, b1: number, c1: number, b2: number, c2: number, step: number, bc2: number, eps: number) => void;

/**
 * fusedAdamStep on wasm: SIMD over the backend's memory (adam_simd.wat; AlexNet's 47M
 * parameters, ~550 → ~100 ms a step). Null for a wasm build whose memory it cannot reach, or
 * moments whose buffer another tensor shares.
 */
export const fusedAdamStepWasm: FusedAdamStep = (p, g, m, v, s) => {
  const backend = asWasmBackend(tf.backend());
  if (!backend) return null;
  if (backend.refCount(m.dataId) !== 1 || backend.refCount(v.dataId) !== 1) return null;
  const adam = wasmExports<{ adam: AdamFn }>(backend, ADAM_SIMD)?.adam;
  if (!adam) return null;
  const out = backend.makeOutput(p.shape.slice(), 'float32');
  const at = (t: { dataId: tf.DataId }) => backend.getMemoryOffset(t.dataId);
  adam(at(p), at(g), at(m), at(v), at(out), p.size, s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.stepSize, s.bc2Sqrt, s.eps);
  return tf.engine().makeTensorFromTensorInfo(out);
};
