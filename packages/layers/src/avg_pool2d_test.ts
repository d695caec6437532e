import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpu, flatNchw, fromNchw, gradCheck, outSize } from '../test/helpers.js';
import { AvgPool2d } from './avg_pool2d.js';

beforeAll(cpu);

describe('AvgPool2d', () => {
  it('counts padded zeros in the mean (count_include_pad=True)', () => {
    const v = Array.from({ length: 16 }, (_, i) => i + 1);
    const x = fromNchw(v, [1, 1, 4, 4]);
    const y = new AvgPool2d(3, 2, 1).forward(x);
    expect(y.shape).toEqual([1, outSize(4, 3, 2, 1), outSize(4, 3, 2, 1), 1]);
    // hand computation: every window sums its in-range cells and divides by 9
    const at = (r: number, c: number) => (r >= 0 && r < 4 && c >= 0 && c < 4 ? v[r * 4 + c] : 0);
    const expected: number[] = [];
    for (const r0 of [-1, 1]) {
      for (const c0 of [-1, 1]) {
        let s = 0;
        for (let r = r0; r < r0 + 3; r++) for (let c = c0; c < c0 + 3; c++) s += at(r, c);
        expected.push(s / 9);
      }
    }
    flatNchw(y).forEach((got, i) => expect(got).toBeCloseTo(expected[i], 5));
    // PyTorch: [1.5556, 3.3333, 6.3333, 11.0]
    expect(expected[0]).toBeCloseTo(1.5555555, 5);
    tf.dispose([x, y]);
  });

  it('LeNet pooling 2×2/2 halves the size and prints like PyTorch', () => {
    const p = new AvgPool2d(2, 2);
    expect(p.toString()).toBe('AvgPool2d(kernel_size=2, stride=2, padding=0)');
    expect(p.outputShape([4, 6, 28, 28])).toEqual([4, 6, 14, 14]);
  });

  it('has correct gradients with padding', () => {
    for (const row of gradCheck(new AvgPool2d(3, 2, 1), [2, 5, 5, 2])) expect(row.relErr).toBeLessThan(1e-2);
  });
});
