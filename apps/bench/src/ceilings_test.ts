import { describe, expect, it } from 'vitest';
import { ceilingLines, type Ceilings } from './ceilings.js';
import type { BenchRow } from './row.js';

const row = (model: string, backend: string, impl: BenchRow['impl'], gflops: number | null): BenchRow => ({
  model, backend, impl, batchSize: 32, inputSize: 224, trainImgPerSec: 1, inferImgPerSec: 1, gflops, peakBytes: 1,
});

const CEILINGS: Ceilings = {
  simd: {
    threads: 2,
    tiles: [{ tile: '6×8', oneThread: 15, allThreads: 29 }, { tile: '4×8', oneThread: 25, allThreads: 50 }],
    plain: { tile: '4×8', oneThread: 25, allThreads: 50 },
    relaxed: { unavailable: 'Node v20 has no relaxed SIMD' },
  },
  native: { size: 2048, threads: 2, conv1x1: 200, mm: 45 },
};

describe('ceilingLines', () => {
  it('puts each network against the wasm ceiling and PyTorch against oneDNN', () => {
    const rows = [row('nin', 'wasm', 'convnets', 35), row('nin', 'cpu', 'convnets', 3), row('nin', 'cpu', 'pytorch', 140), row('nin', 'wasm', 'tfjs-layers', 40)];
    const lines = ceilingLines(rows, CEILINGS);
    expect(lines[0]).toMatch(/on one thread \/ on 2 at once: 6×8 15\.0 \/ 29\.0, 4×8 25\.0 \/ 50\.0\. The ceiling is the best, 4×8's 50\.0/);
    expect(lines[1]).toBe('relaxed SIMD (fused multiply-add): not measured: Node v20 has no relaxed SIMD.');
    expect(lines[2]).toMatch(/200\.0 GFLOP\/s as a 1×1 convolution .* 45\.0 as torch\.mm/);
    expect(lines[3]).toBe('nin: convnets on wasm 35.0 GFLOP/s = 70% of the wasm SIMD128 ceiling; PyTorch 140.0 = 70% of oneDNN\'s; 0.5x PyTorch would take 70.0 = 140% of the wasm ceiling.');
    expect(lines).toHaveLength(4);
  });

  it('sweeps the relaxed tiles and puts each network against both ceilings', () => {
    const tiles = [{ tile: '6×8', oneThread: 40, allThreads: 80 }, { tile: '4×8', oneThread: 35, allThreads: 70 }];
    const withRelaxed: Ceilings = { simd: { ...CEILINGS.simd!, relaxed: { tiles, best: tiles[0]! } } };
    const lines = ceilingLines([row('nin', 'wasm', 'convnets', 40)], withRelaxed);
    expect(lines[1]).toBe("relaxed SIMD, one f32x4.relaxed_madd per multiply-add (FMA, no spare register), the same tiles: 6×8 40.0 / 80.0, 4×8 35.0 / 70.0. The relaxed ceiling is 6×8's 80.0, 1.6× the SIMD128 one; convnets' kernels use relaxed SIMD where the runtime has it.");
    expect(lines[2]).toBe('nin: convnets on wasm 40.0 GFLOP/s = 80% of the wasm SIMD128 ceiling, 50% of the relaxed one.');
  });

  it('says what was not measured, and leaves out what the run lacks', () => {
    expect(ceilingLines([row('lenet', 'cpu', 'convnets', 2)], { native: { unavailable: 'python3-torch is not installed' } }))
      .toEqual(['native: not measured: python3-torch is not installed.']);
    expect(ceilingLines([row('lenet', 'wasm', 'convnets', 10)], {})).toEqual([]);
  });
});
