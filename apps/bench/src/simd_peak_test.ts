import { describe, expect, it } from 'vitest';
import { C_OFFSET, K, kernelModule, simdPeak, TILES, tileName } from './simd_peak.js';

describe('simdPeak', () => {
  it.each(TILES.map((t) => ({ ...t, name: tileName(t) })))('times a $name kernel that does every multiply-add it counts', async (tile) => {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(await kernelModule('plain', tile)), {}) as unknown as {
      exports: { memory: WebAssembly.Memory; run: (reps: number) => void };
    };
    new Float32Array(exports.memory.buffer, 0, C_OFFSET / 4).fill(0.5);
    exports.run(3);
    // 3 reps × K steps of 0.5 × 0.5 in each lane of each accumulator; nothing past them.
    const lanes = tile.rows * tile.vectors * 4;
    expect([...new Float32Array(exports.memory.buffer, C_OFFSET, lanes + 4)]).toEqual([...new Array(lanes).fill(3 * K * 0.25), 0, 0, 0, 0]);
  });

  it('reports GFLOP/s on one thread and on all, and relaxed SIMD or why not', async () => {
    const peak = await simdPeak(2);
    expect(peak.threads).toBe(2);
    expect(peak.tiles.map((t) => t.tile)).toEqual(TILES.map(tileName));
    expect(peak.plain.allThreads).toBe(Math.max(...peak.tiles.map((t) => t.allThreads)));
    for (const rate of peak.tiles.flatMap((t) => [t.oneThread, t.allThreads])) {
      expect(Number.isFinite(rate)).toBe(true);
      expect(rate).toBeGreaterThan(0.1);
    }
    if ('unavailable' in peak.relaxed) expect(peak.relaxed.unavailable).toMatch(/relaxed SIMD/);
    else expect(peak.relaxed.oneThread).toBeGreaterThan(0.1);
    expect('unavailable' in peak.relaxed).toBe(!WebAssembly.validate(await kernelModule('relaxed', TILES[0]!)));
  }, 300_000);
});
