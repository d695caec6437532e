import { describe, expect, it } from 'vitest';
import { C_OFFSET, K, kernelModule, simdPeak } from './simd_peak.js';

describe('simdPeak', () => {
  it('times a kernel that does every multiply-add it counts', async () => {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(await kernelModule('plain')), {}) as unknown as {
      exports: { memory: WebAssembly.Memory; run: (reps: number) => void };
    };
    new Float32Array(exports.memory.buffer, 0, C_OFFSET / 4).fill(0.5);
    exports.run(3);
    // 3 reps × K steps of 0.5 × 0.5 in each lane of each of the 12 accumulators.
    expect([...new Float32Array(exports.memory.buffer, C_OFFSET, 48)]).toEqual(new Array(48).fill(3 * K * 0.25));
  });

  it('reports GFLOP/s on one thread and on all, and relaxed SIMD or why not', async () => {
    const peak = await simdPeak(2);
    expect(peak.threads).toBe(2);
    for (const rate of [peak.plain.oneThread, peak.plain.allThreads]) {
      expect(Number.isFinite(rate)).toBe(true);
      expect(rate).toBeGreaterThan(0.1);
    }
    if ('unavailable' in peak.relaxed) expect(peak.relaxed.unavailable).toMatch(/relaxed SIMD/);
    else expect(peak.relaxed.oneThread).toBeGreaterThan(0.1);
    expect('unavailable' in peak.relaxed).toBe(!WebAssembly.validate(await kernelModule('relaxed')));
  }, 60_000);
});
