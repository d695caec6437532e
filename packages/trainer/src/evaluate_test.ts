import { saveWeights } from '@convnets/core';
import { useBackend } from '@convnets/backends';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallSplits } from '../test/fixtures.js';
import { TinyNet } from '../test/tiny_net.js';
import { evaluate, predict } from './evaluate.js';
import * as tf from '@tensorflow/tfjs-core';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('evaluate', () => {
  it('runs in eval mode (dropout off), is repeatable, and restores training mode', async () => {
    const { test } = await smallSplits();
    const noisy = new TinyNet({ seed: 5, dropout: 0.9 });
    const clean = new TinyNet({ seed: 5, dropout: 0 });
    expect(Buffer.from(await saveWeights(noisy)).equals(Buffer.from(await saveWeights(clean)))).toBe(true);
    noisy.drop.training = true;
    const a = await evaluate(noisy, test, { batchSize: 100 });
    const b = await evaluate(noisy, test, { batchSize: 37 });
    const c = await evaluate(clean, test);
    expect(noisy.training).toBe(true);
    expect(noisy.drop.training).toBe(true);
    expect(b.predictions).toEqual(a.predictions);
    expect(c.predictions).toEqual(a.predictions);
    expect(a.total).toBe(256);
    expect(a.confusion.flat().reduce((s, v) => s + v, 0)).toBe(256);
    expect(a.confusion.reduce((s, row, i) => s + row[i], 0)).toBe(a.correct);
    expect(a.accuracy).toBe(a.correct / 256);
    a.perClass.forEach((p, k) => expect(p).toBe(a.confusion[k][k] / a.confusion[k].reduce((s, v) => s + v, 0)));
    noisy.dispose();
    clean.dispose();
  });

  it('predict gives probabilities in eval mode and restores the mode', () => {
    const net = new TinyNet({ dropout: 0.5 });
    const x = tf.zeros([3, 28, 28, 1]) as tf.Tensor4D;
    const p1 = predict(net, x);
    const p2 = predict(net, x);
    expect(p1.shape).toEqual([3, 10]);
    expect(Array.from(p1.dataSync())).toEqual(Array.from(p2.dataSync()));
    expect(tf.sum(p1).dataSync()[0]).toBeCloseTo(3, 5);
    expect(net.training).toBe(true);
    tf.dispose([x, p1, p2]);
    net.dispose();
  });
});
