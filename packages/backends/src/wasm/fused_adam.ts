import * as tf from '@tensorflow/tfjs-core';
import * as ADAM_SIMD from './adam_simd_wasm.js';
import { asWasmBackend, wasmExports } from './instance.js';

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
 * One Adam step for one parameter in a single pass, instead of 13 tfjs ops that each read and
 * write whole tensors: on wasm in SIMD over its memory (kernels/wasm/adam_simd.wat; AlexNet's
 * 47M parameters, ~550 → ~100 ms a step), on cpu in one JavaScript loop over its arrays
 * (VGG-11/8: ~520 ms of a 3.3 s step at batch 8). `m` and `v` are updated in place; the new
 * parameter is returned for `p.assign`. The float32 operations are those of the op path, in the
 * same order, so the bits are the same.
 *
 * Returns null where it does not apply, and the caller takes the op path: another backend, a
 * wasm build whose memory it cannot reach, or moments whose buffer another tensor shares.
 */
export function fusedAdamStep(p: tf.Tensor, g: tf.Tensor, m: tf.Variable, v: tf.Variable, s: AdamStepScalars): tf.Tensor | null {
  if ([p, g, m, v].some((t) => t.dtype !== 'float32' || t.size !== p.size)) return null;
  if (tf.getBackend() === 'cpu') return onCpu(p, g, m, v, s);
  const backend = asWasmBackend(tf.backend());
  if (!backend) return null;
  if (backend.refCount(m.dataId) !== 1 || backend.refCount(v.dataId) !== 1) return null;
  const adam = wasmExports<{ adam: AdamFn }>(backend, ADAM_SIMD)?.adam;
  if (!adam) return null;
  const out = backend.makeOutput(p.shape.slice(), 'float32');
  const at = (t: { dataId: tf.DataId }) => backend.getMemoryOffset(t.dataId);
  adam(at(p), at(g), at(m), at(v), at(out), p.size, s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.stepSize, s.bc2Sqrt, s.eps);
  return tf.engine().makeTensorFromTensorInfo(out);
}

function onCpu(p: tf.Tensor, g: tf.Tensor, m: tf.Variable, v: tf.Variable, s: AdamStepScalars): tf.Tensor | null {
  const backend = tf.backend();
  if (backend.refCount(m.dataId) !== 1 || backend.refCount(v.dataId) !== 1) return null;
  // tfjs cpu's readSync returns the stored arrays: m and v are written where they live.
  const [pv, gv, mv, vv] = [p, g, m, v].map((t) => backend.readSync(t.dataId)) as Float32Array[];
  const f = Math.fround;
  const [b1, c1, b2, c2] = [f(s.beta1), f(1 - s.beta1), f(s.beta2), f(1 - s.beta2)];
  const [step, bc2, eps] = [f(s.stepSize), f(s.bc2Sqrt), f(s.eps)];
  const out = new Float32Array(pv!.length);
  // Each float32 operation of the op path rounded where its tensor would be stored.
  for (let i = 0; i < out.length; i++) {
    const gi = gv![i]!;
    const mi = f(f(mv![i]! * b1) + f(gi * c1));
    const vi = f(f(vv![i]! * b2) + f(f(gi * gi) * c2));
    mv![i] = mi;
    vv![i] = vi;
    out[i] = pv![i]! - f(f(mi * step) / f(f(f(Math.sqrt(vi)) / bc2) + eps));
  }
  return tf.tensor(out, p.shape, 'float32');
}
