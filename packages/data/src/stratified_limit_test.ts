import { describe, expect, it } from 'vitest';
import { classCounts, stratifiedIndices } from './index.js';

describe('stratifiedIndices', () => {
  const labels = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 10);

  it('takes the first examples of each class, evenly, in file order', () => {
    const idx = stratifiedIndices(labels, 50);
    expect(idx.length).toBe(50);
    const sub = Uint8Array.from(idx, (i) => labels[i]);
    expect(classCounts(sub)).toEqual(new Array(10).fill(5));
    expect(Array.from(idx)).toEqual([...idx].sort((a, b) => a - b));
    for (let c = 0; c < 10; c++) {
      const firstFive = Array.from(labels.keys()).filter((i) => labels[i] === c).slice(0, 5);
      expect(Array.from(idx).filter((i) => labels[i] === c)).toEqual(firstFive);
    }
  });

  it('gives the remainder to the first classes', () => {
    const sub = Uint8Array.from(stratifiedIndices(labels, 23), (i) => labels[i]);
    expect(classCounts(sub)).toEqual([3, 3, 3, 2, 2, 2, 2, 2, 2, 2]);
  });
});
