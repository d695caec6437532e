import type { FusedAdamStep } from '@convnets/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * fusedAdamStep on cpu: one JavaScript loop over the backend's arrays (VGG-11/8: ~520 ms of a
 * 3.3 s step at batch 8). Null for moments whose buffer another tensor shares.
 */
export const fusedAdamStepCpu: FusedAdamStep = (p, g, m, v, s) => {
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
};
