import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireSystem, runCommand } from '@convnets/vitest-config/system';
import { useBackend } from './index.js';
import { maxRelErr } from '../test/max_rel_err.js';

/**
 * One small CNN covering what the D2L nets use: conv (explicit PyTorch-style padding and fused
 * conv+bias+relu), relu, maxPool, avgPool (explicit pad + 'valid'), LRN, channel concat,
 * dropout, dense, softmax cross-entropy, Adam.
 */
const SHAPES: Record<string, number[]> = {
  w1: [3, 3, 1, 4], b1: [4], wa: [1, 1, 4, 3], ba: [3], wb: [3, 3, 4, 3], bb: [3], wd: [6 * 3 * 3, 5], bd: [5],
};
const N = 3;

function initial(): Record<string, Float32Array> {
  return tf.tidy(() => Object.fromEntries(Object.entries(SHAPES).map(([k, s], i) => [k, tf.randomNormal(s, 0, 0.5, 'float32', 7 + i).dataSync() as Float32Array])));
}
function batch(): { x: Float32Array; y: Float32Array } {
  return tf.tidy(() => ({
    x: tf.randomUniform([N, 12, 12, 1], 0, 1, 'float32', 3).dataSync() as Float32Array,
    y: tf.cast(tf.oneHot(tf.tensor1d([1, 4, 2], 'int32'), 5), 'float32').dataSync() as Float32Array,
  }));
}

function loss(p: Record<string, tf.Tensor>, x: tf.Tensor4D, y: tf.Tensor2D, dropout: boolean): tf.Scalar {
  const pad1 = [[0, 0], [1, 1], [1, 1], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]];
  let h: tf.Tensor4D = tf.relu(tf.add(tf.conv2d(x, p.w1 as tf.Tensor4D, 1, pad1), p.b1!) as tf.Tensor4D);
  h = tf.localResponseNormalization(h, 2, 1, 1e-2, 0.75);
  h = tf.maxPool(h, 2, 2, 'valid'); // 6x6x4
  const a = tf.fused.conv2d({ x: h, filter: p.wa as tf.Tensor4D, strides: 1, pad: 'valid', bias: p.ba, activation: 'relu' }); // 6x6x3
  const b: tf.Tensor4D = tf.relu(tf.add(tf.conv2d(h, p.wb as tf.Tensor4D, 1, pad1), p.bb!) as tf.Tensor4D);
  let c: tf.Tensor4D = tf.concat([a, b], 3); // 6x6x6
  c = tf.avgPool(tf.pad(c, pad1), 3, 2, 'valid'); // 8x8 -> 3x3x6 (explicit pad: 'same' avgPool grads are wrong in tfjs)
  let f = tf.reshape(c, [N, 6 * 3 * 3]);
  if (dropout) f = tf.dropout(f, 0.25, undefined, 5);
  const logits = tf.add(tf.matMul(f, p.wd as tf.Tensor2D), p.bd!);
  return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
}

interface Run { losses: number[]; grads: Record<string, Float32Array> }

/** Gradients at the initial point, then 3 Adam steps; all inputs built from the same numbers. */
async function train(init: Record<string, Float32Array>, data: { x: Float32Array; y: Float32Array }): Promise<Run> {
  const before = tf.memory().numTensors;
  const vars = tf.tidy(() => Object.fromEntries(Object.entries(init).map(([k, v]) => [k, tf.variable(tf.tensor(v, SHAPES[k]), true, `${k}_${Math.random()}`)])));
  const x = tf.tensor4d(data.x, [N, 12, 12, 1]);
  const y = tf.tensor2d(data.y, [N, 5]);
  const names = Object.keys(vars);
  const { value, grads } = tf.variableGrads(() => loss(vars, x, y, false), names.map((k) => vars[k]!));
  const g: Record<string, Float32Array> = {};
  for (const k of names) g[k] = (await grads[vars[k]!.name]!.data()) as Float32Array;
  tf.dispose([value, ...Object.values(grads)]);
  const opt = tf.train.adam(0.01);
  const losses: number[] = [];
  for (let i = 0; i < 3; i++) {
    const l = opt.minimize(() => loss(vars, x, y, true), true, Object.values(vars))!;
    losses.push((await l.data())[0]!);
    l.dispose();
  }
  opt.dispose();
  tf.dispose([x, y, ...Object.values(vars)]);
  expect(tf.memory().numTensors).toBe(before);
  return { losses, grads: g };
}

/** Dawn's GL ES backend on Mesa llvmpipe: a skip line without Mesa, a failure in CI. */
const mesa = await requireSystem('mesa', import.meta.url);

let init: Record<string, Float32Array>;
let data: { x: Float32Array; y: Float32Array };
let cpuRun: Run;

describe('the same small CNN training step on every backend Node offers', () => {
  beforeAll(async () => {
    await useBackend('cpu');
    init = initial();
    data = batch();
    cpuRun = await train(init, data);
  });

  it('cpu: gradients match central differences, and Adam lowers the loss', async () => {
    await useBackend('cpu');
    const x = tf.tensor4d(data.x, [N, 12, 12, 1]);
    const y = tf.tensor2d(data.y, [N, 5]);
    const at = (values: Record<string, Float32Array>) =>
      tf.tidy(() => loss(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, tf.tensor(v, SHAPES[k])])), x, y, false).dataSync()[0]!);
    const eps = 1e-2;
    for (const [k, idx] of [['w1', 5], ['wa', 2], ['wb', 17], ['wd', 11], ['bd', 3], ['b1', 1]] as const) {
      const plus = { ...init, [k]: init[k]!.slice() };
      const minus = { ...init, [k]: init[k]!.slice() };
      plus[k]![idx] += eps;
      minus[k]![idx] -= eps;
      const numeric = (at(plus) - at(minus)) / (2 * eps);
      expect(cpuRun.grads[k]![idx]).toBeCloseTo(numeric, 2);
    }
    tf.dispose([x, y]);
    expect(cpuRun.losses[2]).toBeLessThan(cpuRun.losses[0]!);
  });

  it('wasm: gradients within 1e-4 of cpu, losses within 1e-4', async () => {
    await useBackend('wasm');
    const run = await train(init, data);
    for (const k of Object.keys(SHAPES)) expect(maxRelErr(run.grads[k]!, cpuRun.grads[k]!), k).toBeLessThan(1e-4);
    for (let i = 0; i < 3; i++) expect(run.losses[i]).toBeCloseTo(cpuRun.losses[i]!, 4);
  });

  it.skipIf(!mesa.ok)('webgpu (Dawn in Node): same step, losses within 1e-3 of cpu', async () => {
    expect((await useBackend('webgpu')).name).toBe('webgpu');
    const run = await train(init, data);
    for (const k of Object.keys(SHAPES)) expect(maxRelErr(run.grads[k]!, cpuRun.grads[k]!), k).toBeLessThan(1e-3);
    for (let i = 0; i < 3; i++) expect(run.losses[i]).toBeCloseTo(cpuRun.losses[i]!, 3);
  });

  it.skipIf(!mesa.ok)('a Node process that used webgpu exits by itself', async () => {
    const script = fileURLToPath(new URL('./node/webgpu_exit_fixture.ts', import.meta.url));
    const r = await runCommand(process.execPath, ['--conditions=@convnets/source', '--import', 'tsx', script], { timeoutMs: 240_000 });
    expect(r.timedOut, 'killed by the timeout: the process hung').toBe(false);
    expect(r.stdout, `exit ${r.code}: ${r.stderr.slice(-500)}`).toContain('yielded');
    expect(r.stdout, 'webgpu did not start in the child process').not.toContain('SKIP');
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(r.stdout).toContain('sum 4096');
  });
});
