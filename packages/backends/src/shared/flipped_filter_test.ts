import * as tf from '@tensorflow/tfjs-core';
import type { KernelBackend } from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';
import { flippedFilter } from './flipped_filter.js';

afterAll(async () => {
  await useBackend('cpu');
});

describe('flippedFilter', () => {
  it('equals transpose(reverse(w, [0, 1]), [0, 1, 3, 2]) on cpu and wasm, without leaking buffers', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      for (const shape of [[3, 3, 5, 7], [5, 4, 40, 33], [1, 1, 3, 2], [2, 3, 1, 70]] as [number, number, number, number][]) {
        const w = tf.randomUniform(shape, -1, 1, 'float32', 3);
        const want = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]);
        const buffers = tf.backend().numDataIds();
        const got = tf.engine().makeTensorFromTensorInfo(flippedFilter(tf.backend() as KernelBackend, w));
        expect(got.shape).toEqual(want.shape);
        expect(Array.from(await got.data()), `${backend} ${shape}`).toEqual(Array.from(await want.data()));
        got.dispose();
        expect(tf.backend().numDataIds()).toBe(buffers);
        tf.dispose([w, want]);
      }
    }
  });
});
