import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpu, flatNchw, fromNchw } from '../test/helpers.js';
import { GlobalAvgPool2d } from './global_avg_pool2d.js';

beforeAll(cpu);

describe('GlobalAvgPool2d', () => {
  it('averages over H and W, keeping them as 1×1', () => {
    const x = fromNchw([1, 2, 3, 4, 10, 20, 30, 40, 5, 5, 5, 5], [1, 3, 2, 2]);
    const y = new GlobalAvgPool2d().forward(x);
    expect(y.shape).toEqual([1, 1, 1, 3]);
    expect(flatNchw(y)).toEqual([2.5, 25, 5]);
    expect(new GlobalAvgPool2d().outputShape([2, 1024, 3, 3])).toEqual([2, 1024, 1, 1]);
    tf.dispose([x, y]);
  });
});
