import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpu, flatNchw, fromNchw, gradCheck } from '../test/helpers.js';
import { LocalResponseNorm } from './local_response_norm.js';

beforeAll(cpu);

/** PyTorch's formula by hand: b_c = a_c / (k + alpha/n · Σ_{c-⌊n/2⌋ ≤ c' ≤ c+⌊(n-1)/2⌋} a_c'²)^beta. */
function byHand(a: number[], n: number, alpha: number, beta: number, k: number): number[] {
  return a.map((v, c) => {
    let s = 0;
    for (let j = c - Math.floor(n / 2); j <= c + Math.floor((n - 1) / 2); j++) if (j >= 0 && j < a.length) s += a[j] * a[j];
    return v / Math.pow(k + (alpha / n) * s, beta);
  });
}

describe('LocalResponseNorm', () => {
  // Values PyTorch 1.13 prints for LocalResponseNorm(n, alpha=0.1, beta=0.75, k=1.5)([1,2,3,4]).
  const torchValues: Record<number, number[]> = {
    2: [0.71986526, 1.31447243, 1.68963301, 1.87309789],
    3: [0.68173164, 1.20429229, 1.52418756, 2.11873865],
    5: [0.64891076, 1.14647746, 1.71971631, 2.30947089],
  };

  for (const n of [2, 3, 5]) {
    it(`matches PyTorch's formula for size ${n} (window asymmetric when even)`, () => {
      const a = [1, 2, 3, 4];
      const x = fromNchw(a, [1, 4, 1, 1]);
      const y = new LocalResponseNorm(n, 0.1, 0.75, 1.5).forward(x);
      const got = flatNchw(y);
      const want = byHand(a, n, 0.1, 0.75, 1.5);
      got.forEach((g, i) => {
        expect(g).toBeCloseTo(want[i], 5);
        expect(g).toBeCloseTo(torchValues[n][i], 5);
      });
      tf.dispose([x, y]);
    });
  }

  it('normalises each pixel over its own channels and prints like PyTorch', () => {
    const a = [1, 2, 3, 4, 5, 6, 7, 8]; // NCHW [1, 2, 2, 2]
    const x = fromNchw(a, [1, 2, 2, 2]);
    const y = new LocalResponseNorm(2, 0.2, 0.5, 1).forward(x);
    const got = flatNchw(y);
    for (let p = 0; p < 4; p++) {
      const want = byHand([a[p], a[4 + p]], 2, 0.2, 0.5, 1);
      expect(got[p]).toBeCloseTo(want[0], 5);
      expect(got[4 + p]).toBeCloseTo(want[1], 5);
    }
    expect(new LocalResponseNorm(5, 1e-4, 0.75, 2).toString()).toBe('LocalResponseNorm(5, alpha=0.0001, beta=0.75, k=2.0)');
    tf.dispose([x, y]);
  });

  it('has correct gradients', () => {
    for (const row of gradCheck(new LocalResponseNorm(3, 0.5, 0.75, 1), [2, 3, 3, 5])) expect(row.relErr).toBeLessThan(1e-2);
  });
});
