import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';
import { avgPoolGrad } from './avg_pool_grad.js';

afterAll(async () => {
  await useBackend('cpu');
});

describe('avgPoolGrad', () => {
  it("equals tfjs cpu's AvgPoolGrad for overlapping, strided, padded and rectangular windows", async () => {
    await useBackend('cpu');
    const stock = tf.getKernel('AvgPoolGrad', 'cpu')!.kernelFunc as KernelFunc;
    const backend = tf.backend();
    const cases: { shape: [number, number, number, number]; filterSize: [number, number]; strides: [number, number]; pad: 'valid' | 'same' | number }[] = [
      { shape: [2, 28, 28, 6], filterSize: [2, 2], strides: [2, 2], pad: 'valid' },
      { shape: [1, 13, 11, 3], filterSize: [3, 3], strides: [2, 2], pad: 'valid' },
      { shape: [2, 7, 9, 4], filterSize: [3, 3], strides: [1, 1], pad: 1 },
      { shape: [1, 8, 8, 2], filterSize: [2, 3], strides: [1, 2], pad: 'same' },
      { shape: [3, 5, 5, 1], filterSize: [5, 5], strides: [1, 1], pad: 'valid' },
    ];
    for (const cs of cases) {
      const input = tf.randomUniform(cs.shape, -1, 1, 'float32', 1);
      const y = tf.avgPool(input as tf.Tensor4D, cs.filterSize, cs.strides, cs.pad);
      const dy = tf.randomUniform(y.shape, -1, 1, 'float32', 2);
      const args = { inputs: { dy, input }, backend, attrs: { filterSize: cs.filterSize, strides: cs.strides, pad: cs.pad } as never };
      const want = stock(args) as TensorInfo;
      const got = avgPoolGrad(args) as TensorInfo;
      const [w, g] = [backend.readSync(want.dataId) as Float32Array, backend.readSync(got.dataId) as Float32Array];
      expect(got.shape).toEqual(cs.shape);
      expect(Math.max(...g.map((v, i) => Math.abs(v - w[i]!)))).toBeLessThan(1e-6);
      backend.disposeData(want.dataId);
      backend.disposeData(got.dataId);
      tf.dispose([input, y, dy]);
    }
  });

  it('is the AvgPoolGrad that wasm trains with', async () => {
    await useBackend('wasm');
    const x = tf.randomUniform([2, 6, 6, 3], -1, 1, 'float32', 3);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(t as tf.Tensor4D, 3, 2, 'valid'), tf.reshape(tf.range(1, 13), [1, 2, 2, 3]))))(x);
    const onWasm = await g.data();
    tf.dispose([g]);
    const xv = x.dataSync();
    x.dispose();
    await useBackend('cpu');
    const xc = tf.tensor(xv, [2, 6, 6, 3]);
    const gc = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(t as tf.Tensor4D, 3, 2, 'valid'), tf.reshape(tf.range(1, 13), [1, 2, 2, 3]))))(xc);
    const want = await gc.data();
    expect(Math.max(...Array.from(onWasm, (v, i) => Math.abs(v - want[i]!)))).toBeLessThan(1e-6);
    tf.dispose([xc, gc]);
  });
});
