import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { stockCpu } from '../../test/stock_cpu.js';
import { useBackend } from '../index.js';
import { avgPoolGradTiled } from './avg_pool_grad_tiled.js';

afterAll(async () => {
  await useBackend('cpu');
});

describe('avgPoolGradTiled (wasm): the pooling gradient where windows tile the input', () => {
  it.each([
    { why: "LeNet's first pooling (6 channels: a vector and two)", n: 4, h: 28, w: 28, c: 6, f: 2 },
    { why: '3×3 windows, 8 channels', n: 2, h: 9, w: 12, c: 8, f: 3 },
    { why: 'one channel, 2×2', n: 3, h: 6, w: 4, c: 1, f: 2 },
  ])("$why: runs, and equals tfjs cpu's AvgPoolGrad", async ({ n, h, w, c, f }) => {
    await useBackend('cpu');
    const input = tf.randomUniform([n, h, w, c], -1, 1, 'float32', 1);
    const dy = tf.randomUniform([n, h / f, w / f, c], -1, 1, 'float32', 2);
    const want = stockCpu('AvgPoolGrad', { dy, input }, { filterSize: f, strides: f, pad: 'valid' }).values;
    const dyValues = await dy.data();
    tf.dispose([input, dy]);

    await useBackend('wasm');
    const dyOnWasm = tf.tensor(dyValues, [n, h / f, w / f, c]);
    const dx = tf.zeros([n, h, w, c]);
    const shape = { n, h, w, c, oh: h / f, ow: w / f, fh: f, fw: f, scale: 1 / (f * f) };
    expect(avgPoolGradTiled(tf.backend(), dyOnWasm, dx, shape)).toBe(true);
    const got = await dx.data();
    expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - want[i]!)))).toBeLessThan(1e-7);
    tf.dispose([dyOnWasm, dx]);
  });

  it('declines off wasm', async () => {
    await useBackend('cpu');
    const dy = tf.zeros([1, 2, 2, 1]);
    const dx = tf.zeros([1, 4, 4, 1]);
    expect(avgPoolGradTiled(tf.backend(), dy, dx, { n: 1, h: 4, w: 4, c: 1, oh: 2, ow: 2, fh: 2, fw: 2, scale: 0.25 })).toBe(false);
    tf.dispose([dy, dx]);
  });
});
