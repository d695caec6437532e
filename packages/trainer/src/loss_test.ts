import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';
import { beforeAll, describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from './loss.js';

const LOGITS = [
  [2.0, 0.5, -1.0],
  [0.1, 0.2, 0.3],
];
const LABELS = [0, 2];

/** nn.CrossEntropyLoss(label_smoothing=eps), by hand. */
function byHand(eps: number): number {
  let total = 0;
  LOGITS.forEach((row, b) => {
    const lse = Math.log(row.reduce((s, z) => s + Math.exp(z), 0));
    const logp = row.map((z) => z - lse);
    const k = row.length;
    total += -(1 - eps) * logp[LABELS[b]] - (eps / k) * logp.reduce((s, l) => s + l, 0);
  });
  return total / LOGITS.length;
}

describe('softmaxCrossEntropy', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it.each([0, 0.1, 0.3])('matches torch CrossEntropyLoss with label_smoothing=%s', (eps) => {
    const loss = tf.tidy(() => softmaxCrossEntropy(tf.tensor2d(LOGITS), tf.tensor1d(LABELS, 'int32'), eps));
    expect(loss.dataSync()[0]).toBeCloseTo(byHand(eps), 6);
    loss.dispose();
  });

  it('label smoothing 0 equals the plain mean negative log-likelihood', () => {
    // By hand: -(log softmax(2, .5, -1)[0] + log softmax(.1, .2, .3)[2]) / 2.
    const l0 = -Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(0.5) + Math.exp(-1)));
    const l1 = -Math.log(Math.exp(0.3) / (Math.exp(0.1) + Math.exp(0.2) + Math.exp(0.3)));
    expect(byHand(0)).toBeCloseTo((l0 + l1) / 2, 12);
  });

  it('rejects label smoothing outside [0, 1)', () => {
    expect(() => tf.tidy(() => softmaxCrossEntropy(tf.tensor2d(LOGITS), tf.tensor1d(LABELS, 'int32'), 1))).toThrow(/labelSmoothing/);
  });
});
