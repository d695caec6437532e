import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { useStockBackend } from '../test/stock_backend.js';
import { pytorchDefaultParameters } from './init.js';
import { Rng } from './random.js';
import { buildShapeOnly, buildingShapeOnly } from './shape_only.js';

beforeAll(async () => {
  await useStockBackend('cpu');
});

it('inside buildShapeOnly, parameters have shapes and sizes but no tensors, and draw nothing', () => {
  const before = tf.memory().numTensors;
  const rng = new Rng(7);
  const { weight, bias } = buildShapeOnly(() => {
    expect(buildingShapeOnly()).toBe(true);
    return pytorchDefaultParameters('conv2d', [96, 1, 11, 11], rng);
  });
  expect(buildingShapeOnly()).toBe(false);
  expect(tf.memory().numTensors).toBe(before);
  expect(weight.shape).toEqual([11, 11, 1, 96]); // tfjs layout of PyTorch's [96, 1, 11, 11]
  expect(weight.size).toBe(96 * 11 * 11);
  expect(bias?.shape).toEqual([96]);
  expect(weight.isShapeOnly).toBe(true);
  expect(() => weight.variable).toThrow(/built for shapes only/);
  // No numbers were drawn: the generator is where a fresh one starts.
  expect(rng.random()).toBe(new Rng(7).random());
  weight.dispose();

  const linear = pytorchDefaultParameters('linear', [10, 84]);
  expect(linear.weight.shape).toEqual([84, 10]);
  expect(linear.weight.isShapeOnly).toBe(false);
  expect(tf.memory().numTensors).toBe(before + 2);
  linear.weight.dispose();
  linear.bias?.dispose();
});
