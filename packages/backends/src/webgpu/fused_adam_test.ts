import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSystem } from '@convnets/vitest-config/system';
import { fusedAdamStep, type AdamStepScalars } from '@convnets/core';
import { useBackend } from '../index.js';
import { maxRelErr } from '../../test/max_rel_err.js';

const t = 3;
const S: AdamStepScalars = { beta1: 0.9, beta2: 0.999, stepSize: 1e-3 / (1 - 0.9 ** t), bc2Sqrt: Math.sqrt(1 - 0.999 ** t), eps: 1e-8 };

/** p, g, m, v as Adam holds them (variables that own their buffers), from the same numbers on every backend. */
function state(values: Float32Array[], shape: number[]) {
  const [p, g, m, v] = values.map((x) => tf.tensor(x, shape));
  const vars = { p: tf.variable(p!), g: g!, m: tf.variable(m!, false), v: tf.variable(v!, false) };
  tf.dispose([p!, m!, v!]); // the variables own their buffers alone
  return vars;
}

/** p, g, m, v values (v >= 0), made in JavaScript so no backend read is needed. */
function numbers(n: number, seed: number): Float32Array[] {
  let s = seed >>> 0;
  const next = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  return [1, 1, 0.1, 0.01].map((scale, k) => Float32Array.from({ length: n }, () => (k === 3 ? Math.abs(next()) : next()) * scale));
}

/** Adam.apply's op path on the current backend: new p, m, v. */
async function opPath(values: Float32Array[], shape: number[]): Promise<Float32Array[]> {
  const { p, g, m, v } = state(values, shape);
  const out = tf.tidy(() => {
    const m2 = tf.add(tf.mul(m, S.beta1), tf.mul(g, 1 - S.beta1));
    const v2 = tf.add(tf.mul(v, S.beta2), tf.mul(tf.mul(g, g), 1 - S.beta2));
    const denom = tf.add(tf.div(tf.sqrt(v2), S.bc2Sqrt), S.eps);
    return [tf.sub(p, tf.div(tf.mul(m2, S.stepSize), denom)), m2, v2];
  });
  const result = (await Promise.all(out.map((x) => x.data()))) as Float32Array[];
  tf.dispose([p, g, m, v, ...out]);
  return result;
}

const mesa = await requireSystem('mesa', import.meta.url);

describe('fusedAdamStep on webgpu (one WGSL dispatch per parameter, m and v in place)', () => {
  beforeAll(async () => {
    if (mesa.ok) await useBackend('webgpu', { allowFallbackAdapter: true });
  }, 300_000);
  afterAll(async () => {
    await useBackend('cpu');
  });

  it.skipIf(!mesa.ok)('matches the cpu op path within 1e-4 relative (p, m, v), at the parameter shapes of the networks', async () => {
    // 1, odd, LeNet/AlexNet/VGG/NiN/GoogLeNet filters and biases, and one past 65535 workgroups x 256 (grid-stride loop).
    const shapes = [[1], [7], [5, 5, 1, 6], [16], [11, 11, 1, 96], [3, 3, 64, 64], [1, 1, 96, 96], [7, 7, 1, 64], [120, 84], [65535 * 256 + 77]];
    for (const shape of shapes) {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = numbers(n, n % 1000);
      await useBackend('cpu');
      const want = await opPath(values, shape);
      await useBackend('webgpu', { allowFallbackAdapter: true });
      const before = tf.memory().numTensors;
      const { p, g, m, v } = state(values, shape);
      const next = fusedAdamStep(p, g, m, v, S);
      expect(next, `shape ${shape}`).not.toBeNull();
      const got = (await Promise.all([next!, m, v].map((x) => x.data()))) as Float32Array[];
      ['p', 'm', 'v'].forEach((name, i) => expect(maxRelErr(got[i]!, want[i]!), `${name} at ${shape}`).toBeLessThan(1e-4));
      tf.dispose([p, g, m, v, next!]);
      expect(tf.memory().numTensors).toBe(before);
    }
  }, 600_000);

  it.skipIf(!mesa.ok)('reads m and v from the GPU after an earlier read cached them on the CPU', async () => {
    const values = numbers(33, 5);
    const { p, g, m, v } = state(values, [33]);
    await m.data(); // caches m's values on the CPU
    await v.data();
    const next = fusedAdamStep(p, g, m, v, S)!;
    const mAfter = (await m.data()) as Float32Array;
    expect(mAfter[0]).toBeCloseTo(values[2]![0]! * S.beta1 + values[1]![0]! * (1 - S.beta1), 6);
    tf.dispose([p, g, m, v, next]);
  });

  it.skipIf(!mesa.ok)('declines (null, nothing written) where a moment shares its buffer', async () => {
    const { p, g, m, v } = state(numbers(8, 2), [8]);
    const alias = m.clone();
    const before = Array.from(await m.data());
    expect(fusedAdamStep(p, g, m, v, S)).toBeNull();
    expect(Array.from(await alias.data())).toEqual(before);
    tf.dispose([p, g, m, v, alias]);
  });
});
