import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';

async function poolGrad(backend: 'cpu' | 'wasm', x: number[], shape: [number, number, number, number], k: number, s: number, pad: number): Promise<number[]> {
  await useBackend(backend);
  const input = tf.tensor4d(x, shape);
  const g = tf.grad((t: tf.Tensor) => {
    const padded = pad ? tf.pad(t as tf.Tensor4D, [[0, 0], [pad, pad], [pad, pad], [0, 0]], -1e30) : t;
    const y = tf.maxPool(padded as tf.Tensor4D, k, s, 'valid');
    return tf.sum(tf.mul(y, tf.reshape(tf.range(1, y.size + 1), y.shape)));
  })(input);
  const out = Array.from(await g.data());
  tf.dispose([input, g]);
  return out;
}

afterAll(async () => {
  await useBackend('cpu');
});

describe('MaxPoolGrad on wasm', () => {
  it('routes the gradient to the maximum even when every value is negative (GoogLeNet b2)', async () => {
    const shape: [number, number, number, number] = [2, 5, 5, 3];
    const x = Array.from({ length: 150 }, (_, i) => -1 - ((i * 37) % 101) / 7);
    for (const [k, s, p] of [[2, 2, 0], [3, 1, 1], [3, 2, 1]]) {
      const onCpu = await poolGrad('cpu', x, shape, k, s, p);
      const onWasm = await poolGrad('wasm', x, shape, k, s, p);
      expect(onWasm).toEqual(onCpu);
    }
  });
});
