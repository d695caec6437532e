import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';
import { stockCpu } from '../../test/stock_cpu.js';
import { maxPoolGradFirstMax } from './max_pool_grad_first_max.js';
import { maxPoolGradSimd } from '../wasm/max_pool_grad_simd.js';
import { maxPoolGradFirstMaxSimd } from '../wasm/kernels.js';

type Shape = [number, number, number, number];

function pooled(x: number[], shape: Shape, k: number, s: number, pad: number): { input: tf.Tensor4D; output: tf.Tensor4D; dy: tf.Tensor } {
  const input = tf.tensor4d(x, shape);
  const output = tf.tidy(() => tf.maxPool(tf.pad(input, [[0, 0], [pad, pad], [pad, pad], [0, 0]], -1e30) as tf.Tensor4D, k, s, 'valid'));
  const dy = tf.tidy(() => tf.reshape(tf.range(1, output.size + 1), output.shape));
  return { input, output, dy };
}

/** The MaxPoolGrad registered on `backend`, run directly. */
async function poolGrad(backend: 'cpu' | 'wasm', x: number[], shape: Shape, k: number, s: number, pad: number): Promise<number[]> {
  await useBackend(backend);
  const buffers = tf.backend().numDataIds();
  const { input, output, dy } = pooled(x, shape, k, s, pad);
  const attrs = { filterSize: k, strides: s, pad: [[0, 0], [pad, pad], [pad, pad], [0, 0]] };
  const dx = tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, attrs as never) as tf.Tensor;
  const values = Array.from(await dx.data());
  tf.dispose([input, output, dy, dx]);
  expect(tf.backend().numDataIds()).toBe(buffers);
  return values;
}

/** tfjs cpu's own MaxPoolGrad: the reference where windows have one maximum. */
async function stockMaxPoolGrad(x: number[], shape: Shape, k: number, s: number, pad: number): Promise<number[]> {
  await useBackend('cpu');
  const { input, output, dy } = pooled(x, shape, k, s, pad);
  const attrs = { filterSize: k, strides: s, pad: [[0, 0], [pad, pad], [pad, pad], [0, 0]] };
  const values = Array.from(stockCpu('MaxPoolGrad', { dy, input, output }, attrs).values);
  tf.dispose([input, output, dy]);
  return values;
}

afterAll(async () => {
  await useBackend('cpu');
});

describe('MaxPoolGrad (cpu and wasm)', () => {
  it('is registered on both', async () => {
    await useBackend('wasm');
    await useBackend('cpu');
    expect(tf.getKernel('MaxPoolGrad', 'cpu')?.kernelFunc).toBe(maxPoolGradFirstMax);
    expect(tf.getKernel('MaxPoolGrad', 'wasm')?.kernelFunc).toBe(maxPoolGradFirstMaxSimd);
  });

  it("equals tfjs cpu's kernel, also where every value is negative (GoogLeNet b2)", async () => {
    const shape: Shape = [2, 7, 6, 3];
    for (const x of [Array.from({ length: 252 }, (_, i) => -1 - ((i * 37) % 101) / 7), Array.from({ length: 252 }, (_, i) => Math.sin(i * 1.7))]) {
      for (const [k, s, p] of [[2, 2, 0], [3, 1, 1], [3, 2, 1], [3, 2, 0]]) {
        const want = await stockMaxPoolGrad(x, shape, k, s, p);
        expect(await poolGrad('cpu', x, shape, k, s, p)).toEqual(want);
        expect(await poolGrad('wasm', x, shape, k, s, p)).toEqual(want);
      }
    }
  });

  it("routes a tie to the window's first maximum and a NaN to the first NaN, as PyTorch", async () => {
    // One channel, 2x4 input, 2x2 windows: [5 5 | 1 NaN] / [5 2 | NaN 3].
    const x = [5, 5, 1, NaN, 5, 2, NaN, 3];
    for (const backend of ['cpu', 'wasm'] as const) {
      expect(await poolGrad(backend, x, [1, 2, 4, 1], 2, 2, 0)).toEqual([1, 0, 0, 2, 0, 0, 0, 0]);
      // A NaN after the window's largest number still wins (neither backend's max pool returns NaN).
      expect(await poolGrad(backend, [5, NaN, 7, 1, 2, 1, 7, 3], [1, 2, 4, 1], 2, 2, 0)).toEqual([0, 1, 2, 0, 0, 0, 0, 0]);
    }
  });

  it('gives the same gradient without the forward output, or with one that is not the max pool of the input', async () => {
    const shape: Shape = [2, 7, 6, 3];
    const x = Array.from({ length: 252 }, (_, i) => Math.sin(i * 1.7) + (i % 5 === 0 ? 0.5 : 0));
    for (const [k, s, p] of [[2, 2, 0], [3, 1, 1], [3, 2, 0]]) {
      const want = await stockMaxPoolGrad(x, shape, k, s, p);
      for (const backend of ['cpu', 'wasm'] as const) {
        await useBackend(backend);
        const { input, output, dy } = pooled(x, shape, k, s, p);
        const attrs = { filterSize: k, strides: s, pad: [[0, 0], [p, p], [p, p], [0, 0]] };
        const wrong = tf.fill(output.shape, -12345);
        for (const inputs of [{ dy, input }, { dy, input, output: wrong }] as tf.NamedTensorMap[]) {
          const dx = tf.engine().runKernel('MaxPoolGrad', inputs, attrs as never) as tf.Tensor;
          expect(Array.from(await dx.data()), `${backend} k${k} s${s} p${p} ${Object.keys(inputs).join(',')}`).toEqual(want);
          dx.dispose();
        }
        tf.dispose([input, output, dy, wrong]);
      }
    }
  });

  it('stores the 2x2 stride-2 gradient where windows tile the input, odd edges and infinities included', async () => {
    const shape: Shape = [2, 5, 7, 3];
    const x = Array.from({ length: 210 }, (_, i) => (i % 17 === 0 ? Infinity : i % 13 === 0 ? -Infinity : Math.cos(i * 2.3)));
    // A window holding both +inf and -inf sums to NaN: it must take the full comparison, not count as a NaN.
    x[0] = -Infinity;
    x[3] = Infinity;
    const want = await stockMaxPoolGrad(x, shape, 2, 2, 0);
    expect(want.some((v, i) => v !== 0 && x[i] === Infinity)).toBe(true);
    for (const backend of ['cpu', 'wasm'] as const) expect(await poolGrad(backend, x, shape, 2, 2, 0)).toEqual(want);
  });

  it('on wasm, 4 channels at a time (SIMD) and the rest one by one, with padding; a NaN sends the call to the JS path', async () => {
    const shape: Shape = [2, 9, 8, 6];
    const x = Array.from({ length: 864 }, (_, i) => Math.sin(i * 0.37) * 3 + ((i * 7) % 5 === 0 ? -0.5 : 0));
    for (const [k, s, p] of [[2, 2, 0], [3, 1, 1], [3, 2, 1], [3, 2, 0]]) {
      expect(await poolGrad('wasm', x, shape, k, s, p), `k${k} s${s} p${p}`).toEqual(await stockMaxPoolGrad(x, shape, k, s, p));
    }
    // The SIMD loop itself settles a normal input, and declines one with a NaN (which must win).
    await useBackend('wasm');
    for (const [values, settled] of [[x, true], [x.map((v, i) => (i === 100 ? NaN : v)), false]] as const) {
      const { input, output, dy } = pooled([...values], shape, 3, 2, 0);
      const dx = tf.zeros(input.shape);
      const info = backend_util.computePool2DInfo(shape, 3, 2, 1, 'valid');
      const asInfo = (t: tf.Tensor) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
      expect(maxPoolGradSimd(tf.backend(), asInfo(input), asInfo(output), asInfo(dy), () => asInfo(dx), info)).toBe(settled);
      tf.dispose([input, output, dy, dx]);
    }
    expect(await poolGrad('wasm', x.map((v, i) => (i === 100 ? NaN : v)), shape, 3, 2, 0)).toEqual(await poolGrad('cpu', x.map((v, i) => (i === 100 ? NaN : v)), shape, 3, 2, 0));
  });
});
