import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSystem } from '@convnets/vitest-config/system';
import { useBackend } from '../index.js';
import { stockKernel } from '../training_kernels.js';
import { maxRelErr } from '../../test/max_rel_err.js';
import { splitKMisreadsTransposedB } from './batch_mat_mul.js';

/** tfjs-webgpu's defaults: no forced program (-1), 8 workgroups before it spreads the work. */
const AUTO = -1;
const THRESHOLD = 8;

describe('splitKMisreadsTransposedB: where tfjs-webgpu 4.22 takes its split-K program with a transposed B in vec4 lanes', () => {
  const at = (a: number[], b: number[], transposeA: boolean, transposeB: boolean, programType = AUTO) =>
    splitKMisreadsTransposedB({ a, b, transposeA, transposeB }, THRESHOLD, programType);

  it("a dense layer's input gradient at a small batch (dy · Wᵀ, long inner dimension)", () => {
    expect(at([4, 4096], [256, 4096], false, true)).toBe(true); // AlexNet at 67×67, batch 4
    expect(at([8, 4096], [64, 4096], false, true)).toBe(true);
    expect(at([4096, 4], [256, 4096], true, true)).toBe(true);
  });

  it('not for the same product with B as stored, a short inner dimension, many workgroups, a batch, or lanes that are not whole vec4', () => {
    expect(at([4, 4096], [4096, 256], false, false)).toBe(false);
    expect(at([4, 1999], [256, 1999], false, true)).toBe(false);
    expect(at([128, 4096], [6400, 4096], false, true)).toBe(false); // AlexNet at 224, batch 128
    expect(at([2, 4, 4096], [2, 256, 4096], false, true)).toBe(false);
    expect(at([4, 4096], [250, 4096], false, true)).toBe(false);
    expect(at([4, 10], [4096, 10], false, true)).toBe(false); // the last layer's: inner 10
  });

  it('follows WEBGPU_MATMUL_PROGRAM_TYPE when a program is forced', () => {
    expect(at([64, 300], [128, 300], false, true, 1)).toBe(true);
    expect(at([4, 4096], [256, 4096], false, true, 3)).toBe(false);
  });
});

/** [m, k, n]: the failing products, a non-vec4 one, and small and wide ones that take the other programs. */
const SHAPES: [number, number, number][] = [[4, 4096, 256], [8, 4096, 64], [4, 2048, 250], [3, 2001, 7], [5, 37, 12], [64, 300, 128]];

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5);
}

/** matMul (or fused.matMul with bias and ReLU) on the current backend, read back; no tensor left. */
async function product(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean, fused: boolean): Promise<Float32Array> {
  const before = tf.memory().numTensors;
  const a = tf.tensor2d(values(m * k, 1), transposeA ? [k, m] : [m, k]);
  const b = tf.tensor2d(values(k * n, 2), transposeB ? [n, k] : [k, n]);
  const bias = tf.tensor1d(values(n, 3));
  const c = fused ? tf.fused.matMul({ a, b, transposeA, transposeB, bias, activation: 'relu' }) : tf.matMul(a, b, transposeA, transposeB);
  const got = (await c.data()) as Float32Array;
  tf.dispose([a, b, bias, c]);
  expect(tf.memory().numTensors).toBe(before);
  return got;
}

const CASES = SHAPES.flatMap(([m, k, n]) => [false, true].flatMap((ta) => [false, true].flatMap((tb) => [false, true].map((fused) => ({ m, k, n, ta, tb, fused })))));
const label = (c: (typeof CASES)[number]) => `${c.m}×${c.k}·${c.k}×${c.n}${c.ta ? ' Aᵀ' : ''}${c.tb ? ' Bᵀ' : ''}${c.fused ? ' +bias relu' : ''}`;

const mesa = await requireSystem('mesa', import.meta.url);

describe('BatchMatMul and _FusedMatMul on webgpu (Dawn in Node)', () => {
  const want = new Map<string, Float32Array>();
  beforeAll(async () => {
    if (!mesa.ok) return;
    await useBackend('cpu');
    for (const c of CASES) want.set(label(c), await product(c.m, c.k, c.n, c.ta, c.tb, c.fused));
    await useBackend('webgpu', { allowFallbackAdapter: true });
  }, 300_000);
  afterAll(async () => {
    tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', AUTO);
    await useBackend('cpu');
  });

  it.skipIf(!mesa.ok)('tfjs-webgpu\'s own BatchMatMul gets dy·Wᵀ wrong at [4, 4096]·[256, 4096]ᵀ (the case these kernels mend)', async () => {
    const stock = stockKernel('BatchMatMul', 'webgpu')!;
    const a = tf.tensor3d(values(4 * 4096, 1), [1, 4, 4096]);
    const b = tf.tensor3d(values(4096 * 256, 2), [1, 256, 4096]);
    const out = stock({ inputs: { a, b }, attrs: { transposeA: false, transposeB: true }, backend: tf.backend() }) as tf.TensorInfo;
    const c = tf.engine().makeTensorFromTensorInfo(out);
    const got = (await c.data()) as Float32Array;
    tf.dispose([a, b, c]);
    expect(maxRelErr(got, want.get(label({ m: 4, k: 4096, n: 256, ta: false, tb: true, fused: false }))!)).toBeGreaterThan(0.1);
  });

  it.skipIf(!mesa.ok).for([AUTO, 0, 1, 2, 3])('equal the cpu kernels within 1e-4 with WEBGPU_MATMUL_PROGRAM_TYPE %i, every transpose, fused or not', { timeout: 300_000 }, async (type) => {
    tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', type);
    const failures: string[] = [];
    for (const c of CASES) {
      const err = maxRelErr(await product(c.m, c.k, c.n, c.ta, c.tb, c.fused), want.get(label(c))!);
      if (!(err <= 1e-4)) failures.push(`${label(c)}: ${err}`);
    }
    expect(failures).toEqual([]);
  });
});
