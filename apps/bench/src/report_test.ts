import { describe, expect, it } from 'vitest';
import { coverage, formatRatios, ratios, targets } from './report.js';
import type { BenchRow } from './row.js';

function row(model: string, backend: string, impl: BenchRow['impl'], train: (number | null)[], infer: (number | null)[]): BenchRow {
  const mid = (xs: (number | null)[]) => xs.find((x) => x != null) ?? null;
  return {
    model, backend, impl, batchSize: 8, inputSize: 224, trainImgPerSec: mid(train), inferImgPerSec: mid(infer),
    gflops: null, peakBytes: null, rounds: { train, infer },
  };
}

describe('ratios with their spread over the rounds', () => {
  const rows = [
    row('nin', 'wasm', 'convnets', [4, 5, 6], [10, 10, 10]),
    row('nin', 'wasm', 'tfjs-layers', [4, 4, 4], [10, 10, 10]),
    row('nin', 'cpu', 'pytorch', [10, 5, 10], [20, 20, 20]),
    row('nin', 'wasm-stock', 'tfjs-layers', [null], [5]),
  ];

  it('pairs round i with round i of the other row, and gives the median of those ratios', () => {
    const byWhat = new Map(ratios(rows).map((r) => [r.what, r]));
    // The rows' own figures (4 and 10 here) would give 0.4; the rounds' ratios are 0.4, 1, 0.6.
    expect(byWhat.get('convnets(best: wasm)/pytorch train')!.ratio).toBeCloseTo(0.6, 12);
    expect(byWhat.get('convnets/tfjs-layers train, wasm vs wasm-stock')!.ratio).toBeNull(); // stock cannot train
    expect(byWhat.get('convnets/tfjs-layers train, wasm')!.spread).toEqual({ median: 1.25, min: 1, max: 1.5, rounds: 3, noisy: false });
    // 4/10, 5/5, 6/10: 0.4 to 1, 2.5x apart
    expect(byWhat.get('convnets(best: wasm)/pytorch train')!.spread).toEqual({ median: 0.6, min: 0.4, max: 1, rounds: 3, noisy: true });
    expect(byWhat.get('convnets(best: wasm)/pytorch infer')!.spread).toEqual({ median: 0.5, min: 0.5, max: 0.5, rounds: 3, noisy: false });
    expect(byWhat.get('convnets/tfjs-layers train, wasm vs wasm-stock')!.spread).toBeNull();
  });

  it('prints each ratio with its range, and NOISY where the rounds disagree by more than 1.5x', () => {
    const text = formatRatios(rows);
    expect(text).toMatch(/convnets\/tfjs-layers train, wasm\s+1\.25x\s+rounds 1\.00–1\.50x \(3\)$/m);
    expect(text).toMatch(/convnets\(best: wasm\)\/pytorch train\s+0\.60x\s+rounds 0\.40–1\.00x \(3\) NOISY$/m);
    expect(text).toMatch(/convnets\(best: wasm\)\/pytorch infer\s+0\.50x\s+rounds 0\.50–0\.50x \(3\)$/m);
    expect(text).toMatch(/wasm vs wasm-stock\s+n\/a$/m);
  });

  it('says in the targets how far the rounds spread', () => {
    expect(targets(rows)).toContain('nin: convnets(best: wasm)/pytorch train = 0.60x, rounds 0.40–1.00x (3) NOISY (target >= 0.5x): met');
  });

  it('says when two rows were not measured in the same rounds', () => {
    const unpaired = [row('lenet', 'wasm', 'convnets', [4, 4], [1, 1]), row('lenet', 'cpu', 'pytorch', [8], [2])];
    expect(formatRatios(unpaired)).toMatch(/pytorch train\s+0\.50x\s+not measured in the same rounds$/m);
  });
});

describe('coverage', () => {
  const machine = { cores: 2, loadAverage: [3.1, 2, 1], loadAverageAtStart: [1.2, 1, 1] } as Parameters<typeof coverage>[0]['machine'];
  const rows = [row('nin', 'wasm', 'convnets', [1], [1]), row('nin', 'cpu', 'pytorch', [1], [1]), row('lenet', 'wasm', 'convnets', [1], [1])];

  it('says what a narrowed run covers, and nothing for a whole one on a quiet machine', () => {
    expect(coverage({ rows, subset: true, machine })[0]).toBe('> This run covers only: networks nin, lenet; tfjs backends wasm; impls convnets, pytorch. Rows, ratios and targets that need anything else are not in it.');
    expect(coverage({ rows, subset: false, machine })).toEqual([]);
  });

  it('warns when the load average before the run was above the core count', () => {
    const busy = coverage({ rows, subset: false, machine: { ...machine, loadAverageAtStart: [9.5, 8, 7] } });
    expect(busy[0]).toMatch(/^> The machine was busy: load average 9.5, 8, 7 on 2 cores before the run started/);
  });

  // The bench keeps both cores busy itself: a high load at its end says nothing about other work.
  it('does not call the machine busy for the load the run itself made', () => {
    expect(coverage({ rows, subset: false, machine: { ...machine, loadAverage: [4.5, 3, 2] } })).toEqual([]);
  });
});
