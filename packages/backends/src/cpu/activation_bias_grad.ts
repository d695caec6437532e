import type { ActivationBiasGrad } from '@convnets/core';
import * as tf from '@tensorflow/tfjs-core';

/** activationBiasGrad on cpu: one JavaScript loop over the backend's arrays. */
export const activationBiasGradCpu: ActivationBiasGrad = (dy, y, activation) => {
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
};
