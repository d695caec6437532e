import * as tf from '@tensorflow/tfjs-core';
import * as ADAM_SIMD from './wasm/adam_simd_wasm.js';
import { asWasmBackend, wasmExports } from './wasm/instance.js';

/** Adam's scalars for one step, as Adam.apply computes them. */
export interface AdamStepScalars {
  beta1: number;
  beta2: number;
  /** lr / (1 - beta1^t) */
  stepSize: number;
  /** sqrt(1 - beta2^t) */
  bc2Sqrt: number;
  eps: number;
}

type AdamFn = (p: number, g: number, m: number, v: number, out: number, n: number, b1: number, c1: number, b2: number, c2: number, step: number, bc2: number, eps: number) => void;

/**
 * One Adam step for one parameter in a single SIMD pass over tfjs-backend-wasm's memory
 * (kernels/wasm/adam_simd.wat), instead of 13 tfjs ops that each read and write whole tensors:
 * AlexNet's 47M parameters, ~550 → ~100 ms a step. `m` and `v` are updated in place; the new
 * parameter is returned for `p.assign`. The float32 operations are those of the op path, in the
 * same order, so the bits are the same.
 *
 * Returns null where it does not apply, and the caller takes the op path: a backend other than
 * wasm, a wasm build whose memory it cannot reach, or moments whose buffer another tensor shares.
 */
export function fusedAdamStep(p: tf.Tensor, g: tf.Tensor, m: tf.Variable, v: tf.Variable, s: AdamStepScalars): tf.Tensor | null {
  const backend = asWasmBackend(tf.backend());
  if (!backend) return null;
  if ([p, g, m, v].some((t) => t.dtype !== 'float32' || t.size !== p.size)) return null;
  if (backend.refCount(m.dataId) !== 1 || backend.refCount(v.dataId) !== 1) return null;
  const adam = wasmExports<{ adam: AdamFn }>(backend, ADAM_SIMD)?.adam;
  if (!adam) return null;
  const out = backend.makeOutput(p.shape.slice(), 'float32');
  const at = (t: { dataId: tf.DataId }) => backend.getMemoryOffset(t.dataId);
  adam(at(p), at(g), at(m), at(v), at(out), p.size, s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.stepSize, s.bc2Sqrt, s.eps);
  return tf.engine().makeTensorFromTensorInfo(out);
}
