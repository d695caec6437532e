import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';
import { swapPays } from './batch_mat_mul_untransposed.js';
import { transposeLastTwo } from './transpose_last_two.js';

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

  it("a dense layer's forward x·W + bias (then relu) equals cpu's, for a new W and for the same W again", async () => {
    const x = tf.randomUniform([1, 8, 300], -1, 1, 'float32', 3);
    const w = tf.randomUniform([1, 300, 500], -1, 1, 'float32', 4);
    const bias = tf.randomUniform([500], -1, 1, 'float32', 5);
    const dense = async (backend: 'cpu' | 'wasm', activation: 'linear' | 'relu', calls: number) => {
      await useBackend(backend);
      const [x2, w2, b2] = [x, w, bias].map((t) => tf.tensor(t.dataSync(), t.shape));
      const before = tf.backend().numDataIds();
      const outs: number[][] = [];
      for (let i = 0; i < calls; i++) {
        const y = tf.fused.matMul({ a: x2 as tf.Tensor3D, b: w2 as tf.Tensor3D, bias: b2, activation });
        outs.push(Array.from(await y.data()));
        y.dispose();
      }
      expect(tf.backend().numDataIds()).toBe(before);
      tf.dispose([x2!, w2!, b2!]);
      return outs;
    };
    for (const activation of ['linear', 'relu'] as const) {
      const [want] = await dense('cpu', activation, 1);
      for (const got of await dense('wasm', activation, 3)) expect(Math.max(...got.map((v, i) => Math.abs(v - want![i]!)))).toBeLessThanOrEqual(1e-4);
    }
    tf.dispose([x, w, bias]);
  });

  it('keeps a large new right operand off packing, and packs it once it comes back (a weight in inference)', async () => {
    await useBackend('wasm');
    const info = (shape: number[]) => ({ dataId: {}, shape, dtype: 'float32' as const });
    const [x, w] = [info([1, 32, 6400]), info([1, 6400, 4096])];
    expect(swapPays(x, w, false, false)).toBe(true); // AlexNet's first dense layer in training
    const small = [info([1, 256, 400]), info([1, 400, 120])] as const;
    expect(swapPays(small[0], small[1], false, false)).toBe(false); // LeNet's: packing is cheap there
    const a = tf.randomUniform([1, 32, 600]);
    const b = tf.randomUniform([1, 600, 400]);
    const bInfo = { dataId: b.dataId, shape: b.shape, dtype: 'float32' as const };
    expect(swapPays({ dataId: a.dataId, shape: a.shape, dtype: 'float32' }, bInfo, false, false)).toBe(true);
    tf.matMul(a, b).dispose();
    expect(swapPays({ dataId: a.dataId, shape: a.shape, dtype: 'float32' }, bInfo, false, false)).toBe(false);
    tf.dispose([a, b]);
  });

  it('transposes the last two axes exactly (SIMD 4x4 blocks and the odd edges)', async () => {
    await useBackend('wasm');
    for (const shape of [[1, 1], [3, 5], [4, 4], [9, 70], [2, 13, 6], [2, 3, 8, 67]]) {
      const x = tf.randomUniform(shape, -1, 1, 'float32', 6);
      const perm = shape.map((_, i) => i);
      perm.splice(-2, 2, shape.length - 1, shape.length - 2);
      const want = tf.transpose(x, perm);
      const got = tf.engine().makeTensorFromTensorInfo(transposeLastTwo(tf.backend(), 'wasm', { dataId: x.dataId, shape: x.shape, dtype: 'float32' }));
      expect(got.shape).toEqual(want.shape);
      expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
      tf.dispose([x, want, got]);
    }
  });
});
