import * as tf from '@tensorflow/tfjs-core';
import { Rng, stateDict } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpu, convParams, flatNchw, fromNchw, outSize, randomTensor } from '../test/helpers.js';
import { Conv2d } from './conv2d.js';
import { LayerInputError } from './errors.js';

beforeAll(cpu);

describe('Conv2d', () => {
  it('has PyTorch-shaped parameters, count and repr', async () => {
    const c = new Conv2d(3, 8, 5, 2, 1, { rng: new Rng(0) });
    expect(c.numParams()).toBe(convParams(3, 8, 5));
    const sd = await stateDict(c);
    expect(Object.keys(sd)).toEqual(['weight', 'bias']);
    expect(sd.weight.shape).toEqual([8, 3, 5, 5]);
    expect(c.toString()).toBe('Conv2d(3, 8, kernel_size=(5, 5), stride=(2, 2), padding=(1, 1))');
    c.dispose();
  });

  it('initialises like PyTorch: U(±1/√fan_in), reproducible from a seed', () => {
    const a = new Conv2d(4, 6, 3, 1, 0, { rng: new Rng(3) });
    const b = new Conv2d(4, 6, 3, 1, 0, { rng: new Rng(3) });
    const bound = 1 / Math.sqrt(4 * 9);
    const w = a.weight.value.dataSync();
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(bound * 0.8);
    expect(Array.from(b.weight.value.dataSync())).toEqual(Array.from(w));
    a.dispose();
    b.dispose();
  });

  it('computes a padded, strided cross-correlation plus bias (hand computation)', () => {
    const c = new Conv2d(1, 1, 2, 2, 1);
    // torch weight [[1, 2], [3, 4]], bias 0.5
    c.weight.assign(tf.tidy(() => tf.transpose(tf.tensor([1, 2, 3, 4], [1, 1, 2, 2]), [2, 3, 1, 0])));
    c.bias!.assign(tf.tensor1d([0.5]));
    const x = fromNchw([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
    const y = c.forward(x);
    expect(y.shape).toEqual([1, outSize(3, 2, 2, 1), outSize(3, 2, 2, 1), 1]);
    // padded input rows: [0 0 0 0 0], [0 1 2 3 0], [0 4 5 6 0], [0 7 8 9 0], [0 0 0 0 0]
    const expected = [
      4 * 1 + 0.5, 3 * 2 + 4 * 3 + 0.5,
      2 * 4 + 4 * 7 + 0.5, 1 * 5 + 2 * 6 + 3 * 8 + 4 * 9 + 0.5,
    ];
    expect(flatNchw(y)).toEqual(expected);
    tf.dispose([x, y]);
    c.dispose();
  });

  it('gives ⌊(n + 2p − k)/s⌋ + 1 outputs', () => {
    const c = new Conv2d(2, 3, 11, 4, 0);
    const x = randomTensor([2, 30, 37, 2]);
    const y = c.forward(x);
    expect(y.shape).toEqual([2, outSize(30, 11, 4), outSize(37, 11, 4), 3]);
    expect(c.outputShape([2, 2, 30, 37])).toEqual([2, 3, outSize(30, 11, 4), outSize(37, 11, 4)]);
    tf.dispose([x, y]);
    c.dispose();
  });

  it('rejects a too-small input naming the layer and the NCHW shape', () => {
    const c = new Conv2d(1, 96, 11, 4);
    const x = tf.zeros([1, 8, 8, 1]);
    expect(() => c.forward(x)).toThrow(LayerInputError);
    expect(() => c.forward(x)).toThrow(/Conv2d\(1, 96, kernel_size=\(11, 11\), stride=\(4, 4\)\): input of shape \[1, 1, 8, 8\].*too small/);
    x.dispose();
    c.dispose();
  });

  it('rejects the wrong number of channels and non-image inputs', () => {
    const c = new Conv2d(3, 4, 3);
    const x = tf.zeros([1, 8, 8, 1]);
    expect(() => c.forward(x)).toThrow(/input of shape \[1, 1, 8, 8\].*1 channel\(s\), this layer expects 3/);
    const v = tf.zeros([1, 8]);
    expect(() => c.forward(v)).toThrow(/4-D batch/);
    tf.dispose([x, v]);
    c.dispose();
  });

  it('leaves no tensors behind inside tf.tidy', () => {
    const c = new Conv2d(2, 4, 3, 1, 1);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      c.forward(tf.ones([1, 5, 5, 2]));
    });
    expect(tf.memory().numTensors).toBe(before);
    c.dispose();
  });
});
