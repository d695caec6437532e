import * as tf from '@tensorflow/tfjs-core';
import { stateDict } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpu, flatNchw, fromNchw } from '../test/helpers.js';
import { BatchNorm2d } from './batch_norm2d.js';

beforeAll(cpu);

// NCHW [2, 2, 1, 2]: channel 0 holds 1, 2, 3, 6; channel 1 holds 0, 0, 4, 4.
const values = [1, 2, 0, 0, 3, 6, 4, 4];
const ch = [[1, 2, 3, 6], [0, 0, 4, 4]];
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const biasedVar = (a: number[]) => mean(a.map((v) => (v - mean(a)) ** 2));

describe('BatchNorm2d', () => {
  it("has PyTorch's parameters, buffers and repr", async () => {
    const bn = new BatchNorm2d(2);
    expect(bn.numParams()).toBe(4);
    const sd = await stateDict(bn);
    expect(Object.keys(sd)).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(sd.num_batches_tracked.dtype).toBe('I64');
    expect(sd.num_batches_tracked.shape).toEqual([]);
    expect(bn.toString()).toBe('BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)');
    bn.dispose();
  });

  it('normalises with batch statistics and updates running stats like PyTorch in train mode', () => {
    const bn = new BatchNorm2d(2);
    bn.weight.assign(tf.tensor1d([2, 1]));
    bn.bias.assign(tf.tensor1d([0.5, -1]));
    const x = fromNchw(values, [2, 2, 1, 2]);
    const y = bn.forward(x);
    const got = flatNchw(y);
    // hand computation per channel: (x - mean) / sqrt(biasedVar + eps) * w + b
    const w = [2, 1];
    const b = [0.5, -1];
    values.forEach((v, i) => {
      const c = Math.floor(i / 2) % 2;
      const want = ((v - mean(ch[c])) / Math.sqrt(biasedVar(ch[c]) + 1e-5)) * w[c] + b[c];
      expect(got[i]).toBeCloseTo(want, 4);
    });
    // running = 0.9 · running + 0.1 · batch, with the unbiased variance (n/(n-1))
    const rm = Array.from(bn.runningMean.variable.dataSync());
    const rv = Array.from(bn.runningVar.variable.dataSync());
    ch.forEach((a, c) => {
      expect(rm[c]).toBeCloseTo(0.1 * mean(a), 6);
      expect(rv[c]).toBeCloseTo(0.9 * 1 + 0.1 * biasedVar(a) * (4 / 3), 6);
    });
    expect(bn.numBatchesTracked.variable.dataSync()[0]).toBe(1);
    tf.dispose([x, y]);
    bn.dispose();
  });

  it('uses the running statistics in eval mode and leaves them unchanged', () => {
    const bn = new BatchNorm2d(2, 1e-5, 0.1);
    bn.runningMean.assign(tf.tensor1d([1, -1]));
    bn.runningVar.assign(tf.tensor1d([4, 0.25]));
    bn.eval();
    const x = fromNchw(values, [2, 2, 1, 2]);
    const y = bn.forward(x);
    const got = flatNchw(y);
    values.forEach((v, i) => {
      const c = Math.floor(i / 2) % 2;
      const want = (v - [1, -1][c]) / Math.sqrt([4, 0.25][c] + 1e-5);
      expect(got[i]).toBeCloseTo(want, 5);
    });
    expect(Array.from(bn.runningMean.variable.dataSync())).toEqual([1, -1]);
    expect(bn.numBatchesTracked.variable.dataSync()[0]).toBe(0);
    tf.dispose([x, y]);
    bn.dispose();
  });

  it('momentum null keeps the cumulative average; the update never enters gradients or leaks', () => {
    const bn = new BatchNorm2d(2, 1e-5, null);
    const x1 = fromNchw(values, [2, 2, 1, 2]);
    const x2 = tf.tidy(() => tf.mul(x1, 3));
    const before = tf.memory().numTensors;
    for (const x of [x1, x2]) {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(bn.forward(x))) as tf.Scalar, bn.trainableVariables());
      tf.dispose([value, Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    const rm = Array.from(bn.runningMean.variable.dataSync());
    ch.forEach((a, c) => expect(rm[c]).toBeCloseTo((mean(a) + 3 * mean(a)) / 2, 5));
    expect(bn.numBatchesTracked.variable.dataSync()[0]).toBe(2);
    tf.dispose([x1, x2]);
    bn.dispose();
  });

  it('refuses one value per channel in training, and wrong channel counts', () => {
    const bn = new BatchNorm2d(3);
    const one = tf.zeros([1, 1, 1, 3]);
    expect(() => bn.forward(one)).toThrow(/more than 1 value per channel/);
    const wrong = tf.zeros([2, 2, 2, 4]);
    expect(() => bn.forward(wrong)).toThrow(/4 channel\(s\), this layer expects 3/);
    tf.dispose([one, wrong]);
    bn.dispose();
  });
});
