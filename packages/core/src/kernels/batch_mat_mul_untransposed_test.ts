import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';

async function product(backend: 'cpu' | 'wasm', a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean): Promise<Float32Array> {
  await useBackend(backend);
  const [a2, b2] = [tf.tensor(a.dataSync(), a.shape), tf.tensor(b.dataSync(), b.shape)];
  const before = tf.backend().numDataIds();
  const out = tf.matMul(a2, b2, ta, tb);
  const values = (await out.data()) as Float32Array;
  out.dispose();
  expect(tf.backend().numDataIds()).toBe(before);
  tf.dispose([a2, b2]);
  return values;
}

afterAll(async () => {
  await useBackend('cpu');
});

describe('BatchMatMul on wasm with transposed operands', () => {
  it('equals the cpu product for every transpose combination, 2-D and batched', async () => {
    await useBackend('cpu');
    const failures: string[] = [];
    // The small-m shapes (a dense layer's dy·Wᵀ) take the (op(B)ᵀ·op(A)ᵀ)ᵀ way, the others op(A)·op(B).
    for (const [batch, m, k, n] of [[0, 37, 29, 11], [0, 256, 400, 120], [3, 5, 7, 9], [0, 8, 300, 500], [2, 3, 40, 60]] as const) {
      for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
        const lead = batch ? [batch] : [];
        const a = tf.randomUniform([...lead, ...(ta ? [k, m] : [m, k])], -1, 1, 'float32', 1);
        const b = tf.randomUniform([...lead, ...(tb ? [n, k] : [k, n])], -1, 1, 'float32', 2);
        const want = await product('cpu', a, b, ta, tb);
        const got = await product('wasm', a, b, ta, tb);
        const err = Math.max(...got.map((v, i) => Math.abs(v - want[i]!)));
        if (!(err <= 1e-4)) failures.push(`batch ${batch} ${m}x${k}x${n} ta=${ta} tb=${tb}: max abs error ${err}`);
        tf.dispose([a, b]);
      }
    }
    expect(failures).toEqual([]);
  });
});
