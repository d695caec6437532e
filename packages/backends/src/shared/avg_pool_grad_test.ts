import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';
import { avgPoolGradWasm } from '../wasm/kernels.js';
import { avgPoolGrad } from './avg_pool_grad.js';
import { stockCpu } from '../../test/stock_cpu.js';

afterAll(async () => {
  await useBackend('cpu');
});

type Pad = 'valid' | 'same' | number;
const CASES: { shape: [number, number, number, number]; filterSize: [number, number]; strides: [number, number]; pad: Pad }[] = [
  { shape: [2, 28, 28, 6], filterSize: [2, 2], strides: [2, 2], pad: 'valid' }, // LeNet: windows tile the input
  { shape: [2, 7, 9, 4], filterSize: [2, 2], strides: [2, 2], pad: 'valid' }, // tiles, with a row and a column left over
  { shape: [3, 10, 10, 16], filterSize: [2, 2], strides: [2, 2], pad: 'valid' }, // LeNet's second: whole vectors of channels
  { shape: [2, 9, 6, 5], filterSize: [3, 3], strides: [3, 3], pad: 'valid' }, // tiles 3×3, a vector and one channel
  { shape: [1, 12, 12, 3], filterSize: [3, 2], strides: [3, 2], pad: 'valid' },
  { shape: [1, 13, 11, 3], filterSize: [3, 3], strides: [2, 2], pad: 'valid' },
  { shape: [2, 7, 9, 4], filterSize: [3, 3], strides: [1, 1], pad: 1 },
  { shape: [1, 8, 8, 2], filterSize: [2, 3], strides: [1, 2], pad: 'same' },
  { shape: [1, 6, 6, 2], filterSize: [2, 2], strides: [2, 2], pad: 1 }, // tiles but padded: the general path
  { shape: [3, 5, 5, 1], filterSize: [5, 5], strides: [1, 1], pad: 'valid' },
];

describe('avgPoolGrad', () => {
  it('is registered for cpu and wasm (there with the wasm loop for tiled windows)', async () => {
    await useBackend('wasm');
    await useBackend('cpu');
    expect(tf.getKernel('AvgPoolGrad', 'cpu')?.kernelFunc).toBe(avgPoolGrad);
    expect(tf.getKernel('AvgPoolGrad', 'wasm')?.kernelFunc).toBe(avgPoolGradWasm);
  });

  it("equals tfjs cpu's AvgPoolGrad on cpu and wasm: tiled, overlapping, strided, padded, rectangular", async () => {
    for (const cs of CASES) {
      await useBackend('cpu');
      const input = tf.randomUniform(cs.shape, -1, 1, 'float32', 1);
      const y = tf.avgPool(input as tf.Tensor4D, cs.filterSize, cs.strides, cs.pad);
      const dy = tf.randomUniform(y.shape, -1, 1, 'float32', 2);
      const attrs = { filterSize: cs.filterSize, strides: cs.strides, pad: cs.pad };
      const wantValues = stockCpu('AvgPoolGrad', { dy, input }, attrs).values;
      const [xv, dyv] = [input.dataSync(), dy.dataSync()];
      tf.dispose([input, y, dy]);
      for (const backend of ['cpu', 'wasm'] as const) {
        await useBackend(backend);
        const buffers = tf.backend().numDataIds();
        const [x2, dy2] = [tf.tensor(xv, cs.shape), tf.tensor(dyv, y.shape)];
        const got = tf.engine().runKernel('AvgPoolGrad', { dy: dy2, input: x2 }, attrs as never) as tf.Tensor;
        const values = await got.data();
        expect(got.shape).toEqual(cs.shape);
        expect(Math.max(...Array.from(values, (v, i) => Math.abs(v - wantValues[i]!))), `${backend} ${JSON.stringify(cs)}`).toBeLessThan(1e-6);
        tf.dispose([x2, dy2, got]);
        expect(tf.backend().numDataIds()).toBe(buffers);
      }
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
