/**
 * Rounds: a row measured several times, in turns with the other rows of its network
 * (convnets, tfjs-layers, pytorch, pytorch, tfjs-layers, convnets, …; see plan.ts), so a slow
 * phase of the machine falls on every side of a ratio instead of on whichever row ran in it.
 * Each round's own figure is kept, so a ratio can say how far its rounds disagree.
 */
import { median, type RowResult } from './measure.js';
import type { BenchRow } from './row.js';

/** The order of impls in each round: ABBA…, so a steady drift cancels out. */
export function roundOrder<T>(impls: readonly T[], rounds: number): T[][] {
  return Array.from({ length: rounds }, (_, r) => (r % 2 === 0 ? [...impls] : [...impls].reverse()));
}

/** Splits `total` timed steps over `rounds` (at least 1 each). */
export function stepsPerRound(total: number, rounds: number): number {
  return Math.max(1, Math.ceil(total / rounds));
}

const rate = (batch: number, times: readonly number[] | undefined) => (times?.length ? batch / median(times) : null);
const maxOf = (xs: (number | null | undefined)[]) => {
  const v = xs.filter((x): x is number => typeof x === 'number');
  return v.length ? Math.max(...v) : null;
};

/** Each round's own training and inference img/s (null where that round has none). */
function perRound(results: readonly RowResult[]): NonNullable<BenchRow['rounds']> {
  return { train: results.map((r) => r.row.trainImgPerSec), infer: results.map((r) => r.row.inferImgPerSec) };
}

/**
 * One row from the rounds of the same (model, backend, impl): the median over every timed
 * step of every round, the largest peak memory, each note once, and each round's own figures.
 * A round that could not train (or infer) makes the merged figure null, with that round's note.
 * `partners`: the rows it took turns with, for the note.
 */
export function mergeRounds(results: readonly RowResult[], partners: readonly string[] = []): RowResult {
  if (results.length === 1) return { ...results[0]!, row: { ...results[0]!.row, rounds: perRound(results) } };
  const first = results[0]!.row;
  const batch = first.batchSize;
  const allTrain = results.every((r) => r.row.trainImgPerSec != null && r.trainTimes?.length);
  const allInfer = results.every((r) => r.row.inferImgPerSec != null && r.inferTimes?.length);
  const trainTimes = allTrain ? results.flatMap((r) => r.trainTimes!) : undefined;
  const inferTimes = allInfer ? results.flatMap((r) => r.inferTimes!) : undefined;
  const trainImgPerSec = rate(batch, trainTimes);
  const inferImgPerSec = rate(batch, inferTimes);
  // FLOPs per image are the same in every round: rescale the first round's GFLOP/s.
  const scale = (gflops: number | null | undefined, imgs: number | null | undefined, merged: number | null) =>
    gflops != null && imgs && merged != null ? (gflops / imgs) * merged : null;
  const withFigures = results.find((r) => r.row.gflops != null)?.row ?? first;
  const withInfer = results.find((r) => r.row.inferGflops != null)?.row ?? first;
  // Each round's time-budget note ("train: 1 warm-up + 3 timed (time budget)") becomes one.
  const budgetNote = /^(train|infer): \d+ warm-up \+ \d+ timed \(time budget\)$/;
  const notes = [...new Set(results.flatMap((r) => (r.row.note ? r.row.note.split('; ') : [])).filter((n) => !budgetNote.test(n)))];
  for (const [what, times] of [['train', trainTimes], ['infer', inferTimes]] as const) {
    if (results.some((r) => r.row.note?.split('; ').some((n) => n.startsWith(`${what}: `) && budgetNote.test(n)))) {
      notes.push(`${what}: ${times?.length ?? 0} timed steps over the rounds (time budget)`);
    }
  }
  notes.push(partners.length ? `${results.length} rounds interleaved with ${partners.join(', ')}` : `${results.length} rounds`);
  const row: BenchRow = {
    ...first,
    trainImgPerSec,
    inferImgPerSec,
    gflops: scale(withFigures.gflops, withFigures.trainImgPerSec, trainImgPerSec),
    inferGflops: scale(withInfer.inferGflops, withInfer.inferImgPerSec, inferImgPerSec),
    peakBytes: maxOf(results.map((r) => r.row.peakBytes)),
    tfPeakBytes: maxOf(results.map((r) => r.row.tfPeakBytes)),
    steps: trainTimes?.length ?? first.steps,
    note: notes.join('; '),
    rounds: perRound(results),
  };
  return { row, kernels: results.find((r) => r.kernels)?.kernels, trainTimes, inferTimes };
}

/** Rounds whose ratios differ by more than this factor (max / min) make the ratio noisy. */
export const NOISY_SPREAD = 1.5;

export interface RatioSpread {
  /** Median of the per-round ratios: the ratio the report gives. */
  median: number;
  /** Lowest and highest of the per-round ratios. */
  min: number;
  max: number;
  /** Rounds that gave a ratio. */
  rounds: number;
  /** max / min > NOISY_SPREAD. */
  noisy: boolean;
}

/**
 * The per-round ratios a[i] / b[i] of two rows measured in the same rounds (each pair saw the
 * same phase of the machine), as their median and range;
 * null when the rows were not measured in the same rounds (different counts) or no round gave
 * both figures.
 */
export function ratioSpread(a: readonly (number | null)[] | undefined, b: readonly (number | null)[] | undefined): RatioSpread | null {
  if (!a || !b || a.length !== b.length) return null;
  const rs = a.flatMap((x, i) => {
    const y = b[i];
    return x != null && y != null && y > 0 ? [x / y] : [];
  });
  if (!rs.length) return null;
  const min = Math.min(...rs);
  const max = Math.max(...rs);
  return { median: median(rs), min, max, rounds: rs.length, noisy: max > min * NOISY_SPREAD };
}
