import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';
import { trainingKernelNames } from '../training_kernels.js';
import './index.js';

afterAll(async () => {
  await useBackend('cpu');
});

describe('SplitV on wasm (one copy per row)', () => {
  it("equals tfjs cpu's split on every axis, for uneven sizes and int32, and frees nothing it should keep", async () => {
    const cases: [number[], number[] | number, number][] = [
      [[4, 3, 5, 12], [5, 3, 4], 3],
      [[4, 3, 5, 12], [1, 2], 1],
      [[4, 3, 5, 12], 2, 0],
      [[6, 10], [7, 3], 1],
      [[6, 10], [0, 6], 0],
      [[2, 3, 4, 7], [3, 4], -1],
    ];
    expect(trainingKernelNames('wasm')).toContain('SplitV');
    for (const [shape, sizes, axis] of cases) {
      for (const dtype of ['float32', 'int32'] as const) {
        await useBackend('cpu');
        const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (dtype === 'int32' ? i : i * 0.5 - 3));
        const want = tf.split(tf.tensor(values, shape, dtype), sizes, axis).map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
        await useBackend('wasm');
        const x = tf.tensor(values, shape, dtype);
        const before = tf.memory().numTensors;
        const got = tf.split(x, sizes, axis);
        expect(tf.memory().numTensors).toBe(before + got.length);
        expect(got.map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) })), `${shape} ${sizes} axis ${axis} ${dtype}`).toEqual(want);
        tf.dispose([x, ...got]);
      }
    }
  });
});
