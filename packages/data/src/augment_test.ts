import { Rng } from '@convnets/core';
import { describe, expect, it } from 'vitest';
import { augmentImage } from './index.js';

const h = 4;
const w = 4;
const src = Float32Array.from({ length: 16 }, (_, i) => i / 16);

function run(o: Parameters<typeof augmentImage>[4], seed: number): Float32Array {
  const dst = new Float32Array(16);
  augmentImage(src, dst, h, w, o, new Rng(seed));
  return dst;
}

describe('augmentImage', () => {
  it('flips horizontally with probability 1', () => {
    const out = run({ flip: 1 }, 0);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) expect(out[y * w + x]).toBe(src[y * w + (w - 1 - x)]);
  });

  it('crops with zero padding at the drawn offset', () => {
    const rng = new Rng(5);
    const oy = rng.int(5) - 2;
    const ox = rng.int(5) - 2;
    const out = run({ cropPadding: 2 }, 5);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const sy = y + oy;
        const sx = x + ox;
        expect(out[y * w + x]).toBe(sy >= 0 && sy < h && sx >= 0 && sx < w ? src[sy * w + sx] : 0);
      }
    }
  });

  it('jitters brightness and contrast within [0, 1] and is deterministic under a seed', () => {
    const o = { flip: true, cropPadding: 2, brightness: 0.4, contrast: 0.4 };
    const a = run(o, 7);
    expect(Array.from(run(o, 7))).toEqual(Array.from(a));
    const differs = [8, 9, 10, 11].some((s) => run(o, s).some((v, i) => v !== a[i]));
    expect(differs).toBe(true);
    for (const v of a) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('applies the brightness factor exactly', () => {
    const f = new Rng(3).uniform(0.5, 1.5);
    const out = run({ brightness: 0.5 }, 3);
    out.forEach((v, i) => expect(v).toBeCloseTo(Math.min(1, src[i] * f), 6));
  });
});
