import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';
import { manualSeed } from '@convnets/core';
import { createModel } from '@convnets/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { activations } from '../src/activations.js';

describe("activations: the worker's view of one image", () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  const image = () => tf.randomUniform([1, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;

  it('reads every layer, the first filters and a histogram per weight, and leaks no tensor', async () => {
    manualSeed(0);
    const model = createModel('lenet');
    const x = image();
    const before = tf.memory().numTensors;
    const a = await activations(model, x, 3, new Uint8Array(784));
    expect(tf.memory().numTensors).toBe(before);
    expect(a.layers.map((l) => l.name).length).toBeGreaterThan(5);
    expect(a.filters?.maps).toBe(6);
    expect(a.histograms.map((h) => h.name)).toEqual([...model.namedParameters()].map(([n]) => n).filter((n) => n.endsWith('weight')));
    for (const h of a.histograms) expect(h.counts.reduce((s, c) => s + c, 0)).toBe(h.sampled);
    tf.dispose([x]);
    model.dispose();
  });

  // The demo's race: a new network (Train on a fresh model) disposes the old one while the
  // old one's maps are still being read back. What was read must not depend on it any more.
  it('finishes from its own copies when the network is disposed during the read-back', async () => {
    const before = tf.memory().numTensors;
    manualSeed(0);
    const model = createModel('lenet');
    const x = image();
    const pending = activations(model, x, 0, new Uint8Array(784));
    const expected = [...model.namedParameters()].filter(([n]) => n.endsWith('weight')).map(([n, p]) => ({ n, size: p.value.size }));
    model.dispose();
    const a = await pending;
    expect(a.histograms.map((h) => ({ n: h.name, size: h.size }))).toEqual(expected);
    expect(a.histograms.every((h) => Number.isFinite(h.min) && Number.isFinite(h.max))).toBe(true);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
