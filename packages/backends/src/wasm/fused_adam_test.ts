import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';
import { fusedAdamStep, type AdamStepScalars } from '@convnets/core';
import { OWN_MEMORY, SHARED_MEMORY } from './adam_simd_wasm.js';

const t = 3;
const S: AdamStepScalars = { beta1: 0.9, beta2: 0.999, stepSize: 1e-3 / (1 - 0.9 ** t), bc2Sqrt: Math.sqrt(1 - 0.999 ** t), eps: 1e-8 };

/** p, g and moments m, v as Adam holds them: variables that own their buffers. */
function state(n: number, seed: number) {
  return {
    p: tf.tidy(() => tf.variable(tf.randomNormal([n], 0, 1, 'float32', seed))),
    g: tf.randomNormal([n], 0, 1, 'float32', seed + 1),
    m: tf.tidy(() => tf.variable(tf.randomNormal([n], 0, 0.1, 'float32', seed + 2), false)),
    v: tf.tidy(() => tf.variable(tf.abs(tf.randomNormal([n], 0, 0.01, 'float32', seed + 3)), false)),
  };
}

/** Adam.apply's op path: the same formulas as tfjs ops. */
function opPath(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor): tf.Tensor[] {
  return tf.tidy(() => {
    const m2 = tf.add(tf.mul(m, S.beta1), tf.mul(g, 1 - S.beta1));
    const v2 = tf.add(tf.mul(v, S.beta2), tf.mul(tf.mul(g, g), 1 - S.beta2));
    const denom = tf.add(tf.div(tf.sqrt(v2), S.bc2Sqrt), S.eps);
    return [tf.sub(p, tf.div(tf.mul(m2, S.stepSize), denom)), m2, v2];
  });
}

afterAll(async () => {
  await useBackend('cpu');
});

describe('fusedAdamStep', () => {
  it.each(['wasm', 'cpu'] as const)('on %s: the bits of the op path, m and v updated in place, for sizes around the 4-lane groups', async (backend) => {
    await useBackend(backend);
    for (const n of [1, 3, 4, 5, 8, 1001]) {
      const { p, g, m, v } = state(n, n);
      const want = opPath(p, g, m, v);
      const dataIds = tf.backend().numDataIds();
      const next = fusedAdamStep(p, g, m, v, S);
      expect(next, `n=${n}`).not.toBeNull();
      expect(tf.backend().numDataIds()).toBe(dataIds + 1); // only the new parameter
      expect(Array.from(next!.dataSync()), `p n=${n}`).toEqual(Array.from(want[0]!.dataSync()));
      expect(Array.from(m.dataSync()), `m n=${n}`).toEqual(Array.from(want[1]!.dataSync()));
      expect(Array.from(v.dataSync()), `v n=${n}`).toEqual(Array.from(want[2]!.dataSync()));
      tf.dispose([p, g, m, v, next!, ...want]);
    }
  });

  it('on wasm, a parameter large enough to split between threads: the same bits, the split at whole 4-float groups', async () => {
    const { details } = await useBackend('wasm');
    if (availableParallelism() >= 2) expect(details?.threads, 'threaded wasm with a helper (else nothing splits)').toBeGreaterThanOrEqual(2);
    const n = (1 << 20) + 3; // 8n multiply-adds' worth: two parts of work; a tail of 3
    const { p, g, m, v } = state(n, 7);
    const want = opPath(p, g, m, v);
    const next = fusedAdamStep(p, g, m, v, S)!;
    const mismatches = async (a: tf.Tensor, b: tf.Tensor) => {
      const [x, y] = [await a.data(), await b.data()];
      let bad = 0;
      for (let i = 0; i < n; i++) if (!Object.is(x[i], y[i])) bad++;
      return bad;
    };
    expect(await mismatches(next, want[0]!), 'p').toBe(0);
    expect(await mismatches(m, want[1]!), 'm').toBe(0);
    expect(await mismatches(v, want[2]!), 'v').toBe(0);
    tf.dispose([p, g, m, v, next, ...want]);
  });

  it.each(['wasm', 'cpu'] as const)('on %s: declines (null, nothing written) where a moment shares its buffer', async (backend) => {
    await useBackend(backend);
    const { p, g, m, v } = state(8, 2);
    const alias = m.clone(); // shares m's buffer: writing m in place would change it
    const before = Array.from(m.dataSync());
    expect(fusedAdamStep(p, g, m, v, S)).toBeNull();
    expect(Array.from(alias.dataSync())).toEqual(before);
    tf.dispose([p, g, m, v, alias]);
  });

  it("both builds of the module (single-threaded tfjs's own memory, threaded tfjs's shared one) compute the same", () => {
    const n = 11;
    const results = [false, true].map((shared) => {
      const memory = shared ? new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }) : new WebAssembly.Memory({ initial: 1 });
      const bytes = Uint8Array.from(atob(shared ? SHARED_MEMORY : OWN_MEMORY), (ch) => ch.charCodeAt(0));
      const { adam } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as { adam: (...args: number[]) => void };
      const f = new Float32Array(memory.buffer, 0, 5 * n);
      for (let i = 0; i < 4 * n; i++) f[i] = Math.sin(i + 1) * (i >= 3 * n ? 0.01 : 1); // p, g, m, v (v >= 0 below)
      for (let i = 3 * n; i < 4 * n; i++) f[i] = Math.abs(f[i]!);
      adam(0, 4 * n, 8 * n, 12 * n, 16 * n, n, S.beta1, 1 - S.beta1, S.beta2, 1 - S.beta2, S.stepSize, S.bc2Sqrt, S.eps);
      return Array.from(f);
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[0]!.slice(4 * n).every((x) => Number.isFinite(x) && x !== 0)).toBe(true);
  });
});
