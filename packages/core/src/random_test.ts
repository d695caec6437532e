import { describe, expect, it } from 'vitest';
import { defaultRng, manualSeed, Rng } from './random.js';

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('restores its state exactly', () => {
    const r = new Rng(1);
    r.random();
    const state = r.getState();
    const ahead = [r.random(), r.normal(), r.int(10)];
    const s = new Rng(999);
    s.setState(state);
    expect([s.random(), s.normal(), s.int(10)]).toEqual(ahead);
    expect(() => s.setState([1, 2, 3] as never)).toThrow(/four uint32/);
  });

  it('draws uniform values in [0, 1) with the right mean, and standard normals', () => {
    const r = new Rng(3);
    let sum = 0;
    let sq = 0;
    let outside = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = r.random();
      if (u < 0 || u >= 1) outside++;
      sum += u;
      const z = r.normal();
      sq += z * z;
    }
    expect(outside).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sq / n).toBeCloseTo(1, 1);
  });

  it('makes permutations that hold each index once', () => {
    const p = new Rng(5).permutation(1000);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(() => new Rng(1).int(0)).toThrow(/positive integer/);
    expect(() => new Rng(1.5)).toThrow(/integer/);
  });

  it('reseeds the default generator like torch.manual_seed', () => {
    manualSeed(11);
    const first = defaultRng().nextUint32();
    manualSeed(11);
    expect(defaultRng().nextUint32()).toBe(first);
    expect(new Rng(4).fork().nextUint32()).toBe(new Rng(4).fork().nextUint32());
  });
});
