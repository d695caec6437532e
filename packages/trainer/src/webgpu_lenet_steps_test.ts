import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';
import { Rng } from '@convnets/core';
import { createModel } from '@convnets/models';
import { requireSystem } from '@convnets/vitest-config/system';
import { afterAll, describe, expect, it } from 'vitest';
import { Adam } from './adam.js';
import { softmaxCrossEntropy } from './loss.js';

const BATCH = 16;
const STEPS = 4;

/** The same batch on every backend: 28x28 pixels and labels from one seed, made in JavaScript. */
function batch(): { x: Float32Array; y: Int32Array } {
  let s = 12345;
  const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return { x: Float32Array.from({ length: BATCH * 28 * 28 }, next), y: Int32Array.from({ length: BATCH }, (_, i) => (i * 7) % 10) };
}

/** Adam steps of LeNet (the trainer's Adam and loss) on the current backend; the loss before each step. */
async function lenetLosses(pool: 'avg' | 'max'): Promise<number[]> {
  const before = tf.memory().numTensors;
  const model = createModel('lenet', { rng: new Rng(3), pool });
  const named = model.namedParameters().map(([name, p]) => ({ name, variable: p.variable }));
  const vars = named.map((v) => v.variable);
  const optimizer = new Adam(named);
  const data = batch();
  const x = tf.tensor4d(data.x, [BATCH, 28, 28, 1]);
  const labels = tf.tensor1d(data.y, 'int32');
  const losses: number[] = [];
  model.train();
  for (let i = 0; i < STEPS; i++) {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => softmaxCrossEntropy(model.forward(x), labels), vars);
      optimizer.apply(vars.map((v) => grads[v.name]!), 0.01);
      return value;
    });
    losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  optimizer.dispose();
  model.dispose();
  tf.dispose([x, labels]);
  expect(tf.memory().numTensors).toBe(before);
  return losses;
}

const mesa = await requireSystem('mesa', import.meta.url);

afterAll(async () => {
  await useBackend('cpu');
});

describe('LeNet training steps on webgpu (Dawn in Node) match wasm', () => {
  it.skipIf(!mesa.ok).for(['avg', 'max'] as const)('%s pooling: the losses of 4 Adam steps within 1e-4 relative of wasm\'s, and falling', { timeout: 600_000 }, async (pool) => {
    await useBackend('wasm');
    const want = await lenetLosses(pool);
    await useBackend('webgpu', { allowFallbackAdapter: true });
    const got = await lenetLosses(pool);
    for (let i = 0; i < STEPS; i++) expect(Math.abs(got[i]! - want[i]!) / Math.abs(want[i]!), `step ${i}: webgpu ${got[i]} vs wasm ${want[i]}`).toBeLessThan(1e-4);
    expect(got[STEPS - 1]).toBeLessThan(got[0]!);
  });
});
