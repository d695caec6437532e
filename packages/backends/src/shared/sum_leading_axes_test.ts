import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';
import { stockCpu } from '../../test/stock_cpu.js';

afterAll(async () => {
  await useBackend('cpu');
});

describe('Sum over leading axes (cpu and wasm)', () => {
  it("equals tfjs cpu's Sum for leading, other and all axes, with and without keepDims", async () => {
    await useBackend('wasm');
    await useBackend('cpu');
    const shape = [3, 5, 7, 11];
    const values = tf.tidy(() => tf.randomUniform(shape, -1, 1, 'float32', 4).dataSync());
    for (const axis of [[0, 1, 2], [0], [0, 1], [1, 0], [1, 2], [3], [0, 1, 2, 3], -1] as (number | number[])[]) {
      for (const keepDims of [false, true]) {
        await useBackend('cpu');
        const x = tf.tensor(values, shape);
        const want = stockCpu('Sum', { x }, { axis, keepDims });
        x.dispose();
        for (const backend of ['cpu', 'wasm'] as const) {
          await useBackend(backend);
          const buffers = tf.backend().numDataIds();
          const x2 = tf.tensor(values, shape);
          const got = tf.sum(x2, axis, keepDims);
          expect(got.shape, `${backend} axis ${axis}`).toEqual(want.shape);
          const err = Math.max(...Array.from(await got.data(), (v, i) => Math.abs(v - want.values[i]!)));
          expect(err, `${backend} axis ${JSON.stringify(axis)} keepDims ${keepDims}`).toBeLessThan(1e-5);
          tf.dispose([x2, got]);
          expect(tf.backend().numDataIds()).toBe(buffers);
        }
      }
    }
  });

  it('leaves int32 sums to tfjs', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      const s = tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 0);
      expect(s.dtype).toBe('int32');
      expect(Array.from(await s.data())).toEqual([4, 6]);
      s.dispose();
    }
  });
});
