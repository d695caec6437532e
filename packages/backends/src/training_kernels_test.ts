import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireSystem } from '@convnets/vitest-config/system';
import { useBackend } from './index.js';
import { stockCpu } from '../test/stock_cpu.js';
import { maxRelErr } from '../test/max_rel_err.js';
import { stockKernel, trainingKernelNames } from './training_kernels.js';

type Pad = 'valid' | 'same' | number;
interface Case { s: number; k: number; pad: Pad; n: number; c: number; o: number; h: number; w: number }

// Strides 1,2,4; kernels 1,3,5,11; valid / same / PyTorch-style explicit pads; odd sizes; batch 1..3; channels 1..16.
const CASES: Case[] = [];
const dims: [number, number, number, number, number][] = [[1, 1, 3, 13, 17], [2, 3, 16, 12, 9], [3, 16, 5, 15, 14]];
for (const s of [1, 2, 4]) {
  for (const k of [1, 3, 5, 11]) {
    for (const pad of ['valid', 'same', Math.floor(k / 2), 1] as Pad[]) {
      const [n, c, o, h, w] = dims[(s + k + CASES.length) % 3]!;
      if (k <= h + 2 * (typeof pad === 'number' ? pad : 0) && k <= w) CASES.push({ s, k, pad, n, c, o, h, w });
    }
  }
}

const padArg = (pad: Pad) => (typeof pad === 'number' ? [[0, 0], [pad, pad], [pad, pad], [0, 0]] : pad);

/** Runs both gradients of every case on `backends` against tfjs cpu; returns the cases that disagree. */
async function disagreements(cases: Case[], backends: string[]): Promise<string[]> {
  const failures: string[] = [];
  for (const cs of cases) {
    await useBackend('cpu');
    const x = tf.randomUniform([cs.n, cs.h, cs.w, cs.c], -1, 1, 'float32', 1) as tf.Tensor4D;
    const f = tf.randomUniform([cs.k, cs.k, cs.c, cs.o], -1, 1, 'float32', 2) as tf.Tensor4D;
    const y = tf.conv2d(x, f, cs.s, padArg(cs.pad) as never);
    const dy = tf.randomUniform(y.shape, -1, 1, 'float32', 3);
    const attrsF = { strides: cs.s, pad: padArg(cs.pad), dataFormat: 'NHWC', filterShape: f.shape };
    const attrsI = { strides: cs.s, pad: padArg(cs.pad), dataFormat: 'NHWC', inputShape: x.shape };
    const refF = stockCpu('Conv2DBackpropFilter', { x, dy }, attrsF).values;
    const refI = stockCpu('Conv2DBackpropInput', { dy, filter: f }, attrsI).values;
    const [xv, fv, dyv] = [x.dataSync(), f.dataSync(), dy.dataSync()];
    tf.dispose([x, f, y, dy]);
    for (const backend of backends) {
      await useBackend(backend as never, { allowFallbackAdapter: true });
      const before = tf.memory().numTensors;
      const [x2, f2, dy2] = [tf.tensor(xv, x.shape), tf.tensor(fv, f.shape), tf.tensor(dyv, dy.shape)];
      const gF = tf.engine().runKernel('Conv2DBackpropFilter', { x: x2, dy: dy2 }, attrsF as never) as tf.Tensor;
      const gI = tf.engine().runKernel('Conv2DBackpropInput', { dy: dy2, filter: f2 }, attrsI as never) as tf.Tensor;
      const eF = maxRelErr(await gF.data(), refF);
      const eI = maxRelErr(await gI.data(), refI);
      if (!(eF <= 1e-5 && eI <= 1e-5)) failures.push(`${backend} ${JSON.stringify(cs)}: filter ${eF}, input ${eI}`);
      tf.dispose([x2, f2, dy2, gF, gI]);
      expect(tf.memory().numTensors).toBe(before);
    }
  }
  return failures;
}

/** Dawn's GL ES backend on Mesa llvmpipe: a skip line without Mesa, a failure in CI. */
const mesa = await requireSystem('mesa', import.meta.url);

describe('convolution training kernels (wasm, cpu, webgpu) against tfjs cpu gradients', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    await useBackend('cpu');
  });

  it('are registered for wasm and cpu, and wasm has the Conv2DBackpropFilter it lacked', () => {
    expect(trainingKernelNames('wasm')).toContain('Conv2DBackpropFilter');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(stockKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(stockKernel('Conv2DBackpropFilter', 'cpu')).toBeDefined();
  });

  it(`agree within 1e-5 relative on ${CASES.length} shapes`, async () => {
    expect(await disagreements(CASES, ['cpu', 'wasm'])).toEqual([]);
  });

  it.skipIf(!mesa.ok)('webgpu (Dawn in Node): the filter gradient agrees too', async () => {
    await useBackend('webgpu', { allowFallbackAdapter: true });
    expect(tf.getKernel('Conv2DBackpropFilter', 'webgpu')?.kernelFunc).not.toBe(stockKernel('Conv2DBackpropFilter', 'webgpu'));
    expect(await disagreements(CASES, ['webgpu'])).toEqual([]);
  });

  it('free every intermediate buffer (wasm)', async () => {
    await useBackend('wasm');
    const x = tf.randomUniform([2, 9, 9, 3]) as tf.Tensor4D;
    const f = tf.randomUniform([3, 3, 3, 4]) as tf.Tensor4D;
    const backend = tf.backend();
    const before = backend.numDataIds();
    const [gx, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, [[0, 0], [1, 1], [1, 1], [0, 0]])))([x, f]);
    tf.dispose([gx!, gf!]);
    expect(backend.numDataIds()).toBe(before);
    // 1×1 convolutions take the matrix-product route.
    const f1 = tf.randomUniform([1, 1, 3, 4]) as tf.Tensor4D;
    const [px, pf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid')))([x, f1]);
    tf.dispose([px!, pf!]);
    expect(backend.numDataIds()).toBe(before + 1);
    tf.dispose([x, f, f1]);
  });
});
