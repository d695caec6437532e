import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpu } from '../test/helpers.js';
import { ReLU } from './relu.js';
import { Sigmoid } from './sigmoid.js';

beforeAll(cpu);

describe('ReLU and Sigmoid', () => {
  it('apply elementwise and print like PyTorch', () => {
    const x = tf.tensor1d([-2, 0, 3]);
    const r = new ReLU().forward(x);
    const s = new Sigmoid().forward(x);
    expect(Array.from(r.dataSync())).toEqual([0, 0, 3]);
    const sv = Array.from(s.dataSync());
    [-2, 0, 3].forEach((v, i) => expect(sv[i]).toBeCloseTo(1 / (1 + Math.exp(-v)), 6));
    expect(new ReLU().toString()).toBe('ReLU()');
    expect(new Sigmoid().toString()).toBe('Sigmoid()');
    tf.dispose([x, r, s]);
  });
});
