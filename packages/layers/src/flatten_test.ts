import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpu, fromNchw } from '../test/helpers.js';
import { Flatten } from './flatten.js';

beforeAll(cpu);

describe('Flatten', () => {
  it("flattens in PyTorch's NCHW order (x.view(N, -1))", () => {
    const values = Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i);
    const x = fromNchw(values, [2, 3, 2, 2]); // NHWC inside
    const y = new Flatten().forward(x);
    expect(y.shape).toEqual([2, 12]);
    expect(Array.from(y.dataSync())).toEqual(values);
    tf.dispose([x, y]);
  });

  it('leaves a 2-D batch as it is and infers shapes', () => {
    const f = new Flatten();
    const x = tf.ones([3, 4]);
    const y = f.forward(x);
    expect(y.shape).toEqual([3, 4]);
    expect(f.outputShape([1, 256, 5, 5])).toEqual([1, 6400]);
    tf.dispose([x, y]);
  });
});
