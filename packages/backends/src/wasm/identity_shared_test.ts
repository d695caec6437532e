import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';
import { identityShared } from './identity_shared.js';

afterAll(async () => {
  await useBackend('cpu');
});

describe('Identity on wasm', () => {
  it('shares the buffer, and each tensor keeps it alive until the last one is disposed', async () => {
    await useBackend('wasm');
    expect(tf.getKernel('Identity', 'wasm')?.kernelFunc).toBe(identityShared);
    const backend = tf.backend();
    const buffers = backend.numDataIds();
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const y = tf.clone(x);
    expect(backend.numDataIds()).toBe(buffers + 1);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4]);
    const v = tf.variable(y);
    const next = tf.tensor([5, 6, 7, 8], [2, 2]);
    v.assign(next);
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4]);
    tf.dispose([y, v, next]);
    expect(backend.numDataIds()).toBe(buffers);
  });
});
