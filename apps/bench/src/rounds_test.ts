import { describe, expect, it } from 'vitest';
import type { RowResult } from './measure.js';
import { mergeRounds, roundOrder, stepsPerRound } from './rounds.js';

function round(trainTimes: number[] | undefined, inferTimes: number[], extra: Partial<RowResult['row']> = {}): RowResult {
  const batch = 32;
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const train = trainTimes ? batch / med(trainTimes) : null;
  const infer = batch / med(inferTimes);
  return {
    row: {
      model: 'alexnet', backend: 'wasm', impl: 'convnets', batchSize: batch, inputSize: 224,
      trainImgPerSec: train, inferImgPerSec: infer,
      gflops: train == null ? null : train * 5.7, inferGflops: infer * 1.9,
      peakBytes: 100, tfPeakBytes: 10, warmup: 1, steps: trainTimes?.length ?? 0, ...extra,
    },
    trainTimes,
    inferTimes,
  };
}

describe('rounds', () => {
  it('alternates the order each round (ABBA)', () => {
    expect(roundOrder(['a', 'b'], 4)).toEqual([['a', 'b'], ['b', 'a'], ['a', 'b'], ['b', 'a']]);
    expect(roundOrder(['a', 'b'], 1)).toEqual([['a', 'b']]);
  });

  it('splits the timed steps, at least one a round', () => {
    expect(stepsPerRound(8, 2)).toBe(4);
    expect(stepsPerRound(5, 2)).toBe(3);
    expect(stepsPerRound(1, 3)).toBe(1);
  });

  it('takes the median over every step of every round, the largest peaks, each note once', () => {
    const a = round([4, 5, 6], [1, 1], { note: 'with convnets wasm training kernels', peakBytes: 300 });
    const b = round([8, 2, 3], [2, 2], { note: 'with convnets wasm training kernels', tfPeakBytes: 50 });
    const { row, trainTimes } = mergeRounds([a, b]);
    expect(trainTimes).toEqual([4, 5, 6, 8, 2, 3]);
    expect(row.trainImgPerSec).toBeCloseTo(32 / 4.5, 12); // median of 2,3,4,5,6,8
    expect(row.inferImgPerSec).toBeCloseTo(32 / 1.5, 12);
    expect(row.gflops).toBeCloseTo((32 / 4.5) * 5.7, 9); // FLOPs an image are the rounds' own
    expect(row.inferGflops).toBeCloseTo((32 / 1.5) * 1.9, 9);
    expect(row.peakBytes).toBe(300);
    expect(row.tfPeakBytes).toBe(50);
    expect(row.steps).toBe(6);
    expect(row.note).toBe('with convnets wasm training kernels; 2 rounds interleaved with tfjs-layers');
  });

  it('gives no training figure when a round could not train, and says why', () => {
    const ok = round([1, 1], [1]);
    const failed = round(undefined, [1], { note: 'train failed: out of memory' });
    const { row } = mergeRounds([ok, failed]);
    expect(row.trainImgPerSec).toBeNull();
    expect(row.gflops).toBeNull();
    expect(row.inferImgPerSec).toBeCloseTo(32, 12);
    expect(row.note).toMatch(/train failed: out of memory/);
  });

  it('returns a single round as it is', () => {
    const only = round([1, 2, 3], [1]);
    expect(mergeRounds([only])).toBe(only);
  });

  it("says once how many steps the time budget left, not each round's own count", () => {
    const a = round([4, 5], [1], { note: 'train: 1 warm-up + 2 timed (time budget); infer: 1 warm-up + 1 timed (time budget)' });
    const b = round([6, 7, 8], [1], { note: 'train: 1 warm-up + 3 timed (time budget)' });
    expect(mergeRounds([a, b]).row.note).toBe('train: 5 timed steps over the rounds (time budget); infer: 2 timed steps over the rounds (time budget); 2 rounds interleaved with tfjs-layers');
  });
});
