import { describe, expect, it } from 'vitest';
import { learningRateAt } from './schedule.js';

describe('learningRateAt', () => {
  it('constant without a schedule', () => {
    expect(learningRateAt(0.1, 7, 10, undefined)).toBe(0.1);
  });

  it('StepLR: lr·gamma^floor(epoch/stepSize)', () => {
    const s = { kind: 'step', stepSize: 3, gamma: 0.1 } as const;
    expect([0, 1, 2, 3, 5, 6].map((e) => learningRateAt(1, e, 10, s))).toEqual([1, 1, 1, 0.1, 0.1, 0.1 * 0.1]);
  });

  it('CosineAnnealingLR with T_max = epochs', () => {
    const s = { kind: 'cosine', minLr: 0.01 } as const;
    expect(learningRateAt(0.1, 0, 4, s)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(0.1, 2, 4, s)).toBeCloseTo(0.055, 12);
    expect(learningRateAt(0.1, 1, 4, s)).toBeCloseTo(0.01 + 0.09 * (1 + Math.cos(Math.PI / 4)) / 2, 12);
    expect(learningRateAt(0.1, 4, 4, { kind: 'cosine' })).toBeCloseTo(0, 12);
  });

  it('rejects a bad step size', () => {
    expect(() => learningRateAt(1, 0, 1, { kind: 'step', stepSize: 0, gamma: 0.5 })).toThrow(/stepSize/);
  });
});
