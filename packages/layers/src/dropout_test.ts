import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpu } from '../test/helpers.js';
import { Dropout } from './dropout.js';

beforeAll(cpu);

describe('Dropout', () => {
  it('is the identity in eval mode', () => {
    const d = new Dropout(0.5).eval();
    const x = tf.randomNormal([4, 10]);
    const y = d.forward(x);
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    x.dispose();
  });

  it('zeroes about p of the elements in training mode and scales the rest by 1/(1-p)', () => {
    const d = new Dropout(0.3, new Rng(1));
    const x = tf.ones([100, 100]);
    const y = d.forward(x);
    const v = y.dataSync();
    const zeros = v.filter((e) => e === 0).length / v.length;
    expect(zeros).toBeGreaterThan(0.27);
    expect(zeros).toBeLessThan(0.33);
    for (const e of v) if (e !== 0) expect(e).toBeCloseTo(1 / 0.7, 5);
    expect(d.toString()).toBe('Dropout(p=0.3, inplace=False)');
    tf.dispose([x, y]);
  });

  it('reproduces its masks from a seeded Rng and frees its temporaries', () => {
    const x = tf.ones([8, 8]);
    const before = tf.memory().numTensors;
    const a = tf.tidy(() => new Dropout(0.5, new Rng(9)).forward(x));
    const b = tf.tidy(() => new Dropout(0.5, new Rng(9)).forward(x));
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([x, a, b]);
  });

  it('handles p = 0 and p = 1', () => {
    const x = tf.ones([3]);
    expect(Array.from(new Dropout(1).forward(x).dataSync())).toEqual([0, 0, 0]);
    expect(new Dropout(0).forward(x)).toBe(x);
    expect(() => new Dropout(1.5)).toThrow(/between 0 and 1/);
    x.dispose();
  });
});
