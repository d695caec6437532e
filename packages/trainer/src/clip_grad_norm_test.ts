import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipGradNorm } from './clip_grad_norm.js';

describe('clipGradNorm', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('scales by maxNorm/(norm+1e-6) when the global norm is larger (torch clip_grad_norm_)', () => {
    // Global norm of [3, 4] and [12] is 13.
    const [a, b, n] = tf.tidy(() => {
      const r = clipGradNorm([tf.tensor1d([3, 4]), tf.tensor1d([12])], 1);
      return [...r.grads, r.norm];
    });
    const c = 1 / (13 + 1e-6);
    expect(n.dataSync()[0]).toBeCloseTo(13, 5);
    Array.from(a.dataSync()).forEach((v, i) => expect(v).toBeCloseTo([3, 4][i] * c, 6));
    expect(b.dataSync()[0]).toBeCloseTo(12 * c, 6);
    tf.dispose([a, b, n]);
  });

  it('leaves small gradients alone', () => {
    const g = tf.tidy(() => clipGradNorm([tf.tensor1d([0.3, 0.4])], 1).grads[0]);
    expect(Array.from(g.dataSync())).toEqual([Math.fround(0.3), Math.fround(0.4)]);
    g.dispose();
  });
});
