import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSystem } from '@convnets/vitest-config/system';
import { useBackend } from '../index.js';
import { maxRelErr } from '../../test/max_rel_err.js';

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5);
}

/** tf.addN of `count` tensors of `shape` (seeded values), read back; no tensor or GPU buffer left. */
async function addN(count: number, shape: number[]): Promise<Float32Array> {
  const before = tf.memory().numTensors;
  const dataIds = tf.engine().backend.numDataIds();
  const size = shape.reduce((a, b) => a * b, 1);
  const inputs = Array.from({ length: count }, (_, i) => tf.tensor(values(size, i + 1), shape));
  const sum = tf.addN(inputs);
  const got = (await sum.data()) as Float32Array;
  tf.dispose([...inputs, sum]);
  expect(tf.memory().numTensors).toBe(before);
  expect(tf.engine().backend.numDataIds()).toBe(dataIds);
  return got;
}

const COUNTS = [1, 2, 7, 8, 9, 13, 14, 15, 30];
const SHAPES = [[], [3, 5], [4, 4096]];

const mesa = await requireSystem('mesa', import.meta.url);

describe('AddN on webgpu (Dawn in Node), in passes past the storage-buffer limit', () => {
  const want = new Map<string, Float32Array>();
  beforeAll(async () => {
    if (!mesa.ok) return;
    await useBackend('cpu');
    for (const count of COUNTS) for (const shape of SHAPES) want.set(`${count} × [${shape}]`, await addN(count, shape));
    await useBackend('webgpu', { allowFallbackAdapter: true });
  }, 300_000);
  afterAll(async () => {
    await useBackend('cpu');
  });

  it.skipIf(!mesa.ok)('the counts below cross the device\'s storage-buffer limit (8 here: tfjs requests no more), one pass and several', () => {
    const device = (tf.backend() as unknown as { device: GPUDevice }).device;
    const onePass = device.limits.maxStorageBuffersPerShaderStage - 1;
    expect(COUNTS.filter((c) => c > onePass).length).toBeGreaterThan(3);
    expect(Math.max(...COUNTS)).toBeGreaterThan(2 * onePass);
  });

  it.skipIf(!mesa.ok)('equals the cpu kernel within 1e-6 for 1 to 30 inputs, scalars to [4, 4096]', async () => {
    const failures: string[] = [];
    for (const count of COUNTS) {
      for (const shape of SHAPES) {
        const key = `${count} × [${shape}]`;
        const err = maxRelErr(await addN(count, shape), want.get(key)!);
        if (!(err <= 1e-6)) failures.push(`${key}: ${err}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it.skipIf(!mesa.ok)('leaves the kernels recorded beside it intact (an invalid AddN pipeline dropped its whole command buffer)', async () => {
    const a = tf.tensor1d([1, 2, 3]);
    const before = [tf.mul(a, 2), tf.add(a, 10), tf.square(a)];
    const sum = tf.addN(Array.from({ length: 10 }, () => a));
    const after = tf.sub(a, 1);
    const got = await Promise.all([...before, sum, after].map(async (t) => Array.from(await t.data())));
    tf.dispose([a, ...before, sum, after]);
    expect(got).toEqual([[2, 4, 6], [11, 12, 13], [1, 4, 9], [10, 20, 30], [0, 1, 2]]);
  });
});
