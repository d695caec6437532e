import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resizeBatch, resizeShape } from './index.js';

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
});

describe('resizeBatch (bilinear, half-pixel centers)', () => {
  it('upsamples 2x2 to 4x4 like F.interpolate(align_corners=False)', () => {
    // Source coordinate (d + 0.5) / 2 - 0.5, clamped: weights of the second pixel 0, 0.25, 0.75, 1.
    const f = [0, 0.25, 0.75, 1];
    const x = tf.tensor4d([0, 1, 2, 3], [1, 2, 2, 1]);
    const y = resizeBatch(x, 4);
    const want: number[] = [];
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) want.push(f[c] + 2 * f[r]);
    expect(y.shape).toEqual([1, 4, 4, 1]);
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    tf.dispose([x, y]);
  });

  it('downsamples 4x4 to 2x2 by averaging the middle of each 2x2 block', () => {
    const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1]);
    const y = resizeBatch(x, [2, 2]);
    // Source coordinate (d + 0.5) * 2 - 0.5 = 0.5, 2.5: mean of pixels (0,0),(0,1),(1,0),(1,1) = 2.5, etc.
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo([2.5, 4.5, 10.5, 12.5][i], 6));
    tf.dispose([x, y]);
  });

  it('resizes non-square and checks its size', () => {
    const x = tf.ones([2, 28, 28, 1]) as tf.Tensor4D;
    const y = resizeBatch(x, [96, 64]);
    expect(y.shape).toEqual([2, 96, 64, 1]);
    tf.dispose([x, y]);
    expect(() => resizeShape(0)).toThrow(/positive integer/);
  });
});
