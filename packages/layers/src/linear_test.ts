import * as tf from '@tensorflow/tfjs-core';
import { stateDict } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpu, linearParams } from '../test/helpers.js';
import { Linear } from './linear.js';

beforeAll(cpu);

describe('Linear', () => {
  it('has PyTorch-shaped weight [out, in] and computes x·Wᵀ + b', async () => {
    const l = new Linear(3, 2);
    expect(l.numParams()).toBe(linearParams(3, 2));
    expect((await stateDict(l)).weight.shape).toEqual([2, 3]);
    expect(l.toString()).toBe('Linear(in_features=3, out_features=2, bias=True)');
    // torch weight [[1, 2, 3], [4, 5, 6]] -> tfjs [in, out]
    l.weight.assign(tf.tidy(() => tf.transpose(tf.tensor2d([[1, 2, 3], [4, 5, 6]]))));
    l.bias!.assign(tf.tensor1d([10, 20]));
    const x = tf.tensor2d([[1, 1, 1], [1, 0, -1]]);
    const y = l.forward(x);
    expect(y.arraySync()).toEqual([[16, 35], [8, 18]]);
    tf.dispose([x, y]);
    l.dispose();
  });

  it('rejects inputs with the wrong number of features', () => {
    const l = new Linear(6400, 10);
    const x = tf.zeros([1, 1024]);
    expect(() => l.forward(x)).toThrow(/Linear\(in_features=6400, out_features=10, bias=True\): input of shape \[1, 1024\].*1024 features, this layer expects 6400/);
    x.dispose();
    l.dispose();
  });
});
