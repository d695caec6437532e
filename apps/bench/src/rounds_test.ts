import { describe, expect, it } from 'vitest';
import type { RowResult } from './measure.js';
import { mergeRounds, NOISY_SPREAD, ratioSpread, roundOrder, stepsPerRound } from './rounds.js';

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
    const { row, trainTimes } = mergeRounds([a, b], ['tfjs-layers wasm', 'pytorch']);
    expect(trainTimes).toEqual([4, 5, 6, 8, 2, 3]);
    expect(row.trainImgPerSec).toBeCloseTo(32 / 4.5, 12); // median of 2,3,4,5,6,8
    expect(row.inferImgPerSec).toBeCloseTo(32 / 1.5, 12);
    expect(row.gflops).toBeCloseTo((32 / 4.5) * 5.7, 9); // FLOPs an image are the rounds' own
    expect(row.inferGflops).toBeCloseTo((32 / 1.5) * 1.9, 9);
    expect(row.peakBytes).toBe(300);
    expect(row.tfPeakBytes).toBe(50);
    expect(row.steps).toBe(6);
    expect(row.note).toBe('with convnets wasm training kernels; 2 rounds interleaved with tfjs-layers wasm, pytorch');
    expect(row.rounds).toEqual({ train: [32 / 5, 32 / 3], infer: [32, 16] }); // each round's own median
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

  it('returns a single round as it is, with its figures as the one round', () => {
    const only = round([1, 2, 3], [1]);
    const merged = mergeRounds([only]);
    expect(merged.row).toEqual({ ...only.row, rounds: { train: [16], infer: [32] } });
    expect(merged.trainTimes).toBe(only.trainTimes);
  });

  it('keeps a failed round as a null figure in its place', () => {
    const failed = round(undefined, [1], { note: 'train failed: out of memory' });
    expect(mergeRounds([round([1], [1]), failed]).row.rounds).toEqual({ train: [32, null], infer: [32, 32] });
  });

  it("says once how many steps the time budget left, not each round's own count", () => {
    const a = round([4, 5], [1], { note: 'train: 1 warm-up + 2 timed (time budget); infer: 1 warm-up + 1 timed (time budget)' });
    const b = round([6, 7, 8], [1], { note: 'train: 1 warm-up + 3 timed (time budget)' });
    expect(mergeRounds([a, b], ['tfjs-layers wasm']).row.note).toBe('train: 5 timed steps over the rounds (time budget); infer: 2 timed steps over the rounds (time budget); 2 rounds interleaved with tfjs-layers wasm');
  });
});

describe('ratio spread', () => {
  it('gives the median, lowest and highest of the per-round ratios, round i over round i', () => {
    // Per round: 10/20 = 0.5, 12/20 = 0.6, 11/20 = 0.55; pairing by sorted value instead would give other ratios.
    const s = ratioSpread([10, 12, 11], [20, 20, 20]);
    expect(s).toEqual({ median: 0.55, min: 0.5, max: 0.6, rounds: 3, noisy: false });
    expect(ratioSpread([10, 12], [10, 24])).toEqual({ median: 0.75, min: 0.5, max: 1, rounds: 2, noisy: true });
  });

  it(`flags a ratio whose rounds differ by more than ${NOISY_SPREAD}x as noisy, and no less`, () => {
    expect(ratioSpread([1.5, 1], [1, 1])?.noisy).toBe(false); // exactly 1.5x apart
    expect(ratioSpread([1.51, 1], [1, 1])?.noisy).toBe(true);
    expect(ratioSpread([3, 2], [2, 1])?.noisy).toBe(false); // 1.5 and 2: 1.33x apart
  });

  it('skips rounds missing either figure, and gives none when no round has both', () => {
    expect(ratioSpread([4, null, 6], [2, 2, null])).toEqual({ median: 2, min: 2, max: 2, rounds: 1, noisy: false });
    expect(ratioSpread([null], [2])).toBeNull();
  });

  it('gives none for rows that were not measured in the same rounds', () => {
    expect(ratioSpread([1, 2, 3], [1])).toBeNull();
    expect(ratioSpread(undefined, [1])).toBeNull();
  });
});
