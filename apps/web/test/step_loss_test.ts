import { describe, expect, it } from 'vitest';
import { StepLoss } from '../src/step_loss.js';

describe('StepLoss: per-step loss from the running means the trainer reports', () => {
  it("recovers each step's loss, restarting at every epoch", () => {
    const losses = [[2.3, 1.9, 1.2, 0.9], [0.8, 0.6, 0.7]];
    const s = new StepLoss();
    losses.forEach((epoch, e) => {
      let sum = 0;
      epoch.forEach((l, i) => {
        sum += l;
        expect(s.next(e + 1, i + 1, sum / (i + 1))).toBeCloseTo(l, 10);
      });
    });
  });

  it('between reports every k steps: the mean of those k steps; no report, no value', () => {
    const s = new StepLoss();
    expect(s.next(1, 1, undefined)).toBeUndefined();
    expect(s.next(1, 2, (2 + 1) / 2)).toBeCloseTo(1.5, 10);
    expect(s.next(1, 4, (2 + 1 + 0.5 + 0.3) / 4)).toBeCloseTo(0.4, 10);
  });
});
