import * as tf from '@tensorflow/tfjs-core';
import { loadWeights, saveWeights } from '@convnets/core';
import { useBackend } from '@convnets/backends';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel } from './registry.js';

afterAll(async () => {
  await useBackend('cpu');
});

async function forwardOn(backend: 'cpu' | 'wasm', name: string, size: number, weights: Uint8Array | null, input: number[]): Promise<{ out: number[]; weights: Uint8Array }> {
  await useBackend(backend);
  const net = createModel(name, { inputSize: size }).eval();
  if (weights) loadWeights(net, weights);
  const x = tf.tensor(input, [2, size, size, 1]);
  const before = tf.memory().numTensors;
  const y = tf.tidy(() => net.forward(x));
  expect(tf.memory().numTensors).toBe(before + 1);
  const out = Array.from(y.dataSync());
  const saved = await saveWeights(net);
  tf.dispose([x, y]);
  net.dispose();
  return { out, weights: saved };
}

describe('cpu and wasm', () => {
  for (const [name, size] of [['lenet', 28], ['googlenet', 32]] as const) {
    it(`${name} gives the same logits on both for the same weights`, async () => {
      const input = Array.from({ length: 2 * size * size }, (_, i) => Math.sin(i * 0.37) * 0.5 + 0.5);
      const a = await forwardOn('cpu', name, size, null, input);
      const b = await forwardOn('wasm', name, size, a.weights, input);
      expect(b.out).toHaveLength(a.out.length);
      b.out.forEach((v, i) => expect(v).toBeCloseTo(a.out[i], 4));
    });
  }
});
