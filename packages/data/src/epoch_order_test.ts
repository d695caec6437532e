import { describe, expect, it } from 'vitest';
import { epochOrder, epochSeed } from './index.js';

describe('epochOrder', () => {
  it('is a permutation that depends only on (seed, epoch)', () => {
    const a = epochOrder(1000, 42, 3);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(epochOrder(1000, 42, 3))).toEqual(Array.from(a));
    expect(Array.from(epochOrder(1000, 42, 4))).not.toEqual(Array.from(a));
    expect(Array.from(epochOrder(1000, 43, 3))).not.toEqual(Array.from(a));
  });

  it('derives distinct stream seeds', () => {
    const seeds = new Set<number>();
    for (let s = 0; s < 10; s++) for (let e = 0; e < 10; e++) for (let k = 0; k < 2; k++) seeds.add(epochSeed(s, e, k));
    expect(seeds.size).toBe(200);
    expect(() => epochOrder(10, 1.5, 0)).toThrow(/seed must be a non-negative integer/);
  });
});
