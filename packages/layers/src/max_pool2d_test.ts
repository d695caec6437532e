import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpu, flatNchw, fromNchw, outSize, randomTensor } from '../test/helpers.js';
import { MaxPool2d } from './max_pool2d.js';

beforeAll(cpu);

describe('MaxPool2d', () => {
  it('pads with -inf, as PyTorch (all-negative input, k=3 s=2 p=1)', () => {
    const x = fromNchw(Array.from({ length: 16 }, (_, i) => -(i + 1)), [1, 1, 4, 4]);
    const p = new MaxPool2d(3, 2, 1);
    const y = p.forward(x);
    expect(y.shape).toEqual([1, outSize(4, 3, 2, 1), outSize(4, 3, 2, 1), 1]);
    // windows (rows/cols -1..1 and 1..3): max of the negatives in range; padding never wins
    expect(flatNchw(y)).toEqual([-1, -2, -5, -6]); // PyTorch gives the same
    tf.dispose([x, y]);
  });

  it('uses floor mode and defaults stride to the kernel size', () => {
    const p = new MaxPool2d(2);
    expect(p.stride).toBe(2);
    expect(p.toString()).toBe('MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)');
    const x = randomTensor([2, 7, 5, 3]);
    const y = p.forward(x);
    expect(y.shape).toEqual([2, outSize(7, 2, 2), outSize(5, 2, 2), 3]);
    tf.dispose([x, y]);
  });

  it('fails on a too-small input with the layer and shape', () => {
    const p = new MaxPool2d(3, 2);
    const x = tf.zeros([1, 2, 2, 256]);
    expect(() => p.forward(x)).toThrow(/MaxPool2d\(kernel_size=3, stride=2.*\): input of shape \[1, 256, 2, 2\] \(NCHW\) is too small: the output would be 0×0/);
    x.dispose();
  });

  it('refuses padding above half the kernel (PyTorch rule)', () => {
    expect(() => new MaxPool2d(3, 1, 2)).toThrow(/at most half/);
  });
});
