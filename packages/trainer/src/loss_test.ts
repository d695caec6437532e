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

/** The loss as plain tfjs ops, autodiff through each: the reference for the fused gradient. */
function composedLoss(logits: tf.Tensor, labels: tf.Tensor, eps = 0): tf.Scalar {
  const logp = tf.logSoftmax(logits as tf.Tensor2D);
  const oneHot = tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, logits.shape[1] as number);
  const nll = tf.neg(tf.sum(tf.mul(oneHot, logp), 1));
  return tf.mean(tf.add(tf.mul(nll, 1 - eps), tf.mul(tf.neg(tf.mean(logp, 1)), eps)));
}

describe.each(['cpu', 'wasm'] as const)('softmaxCrossEntropy on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it.each([0, 0.1, 0.3])('matches torch CrossEntropyLoss with label_smoothing=%s', async (eps) => {
    const loss = tf.tidy(() => softmaxCrossEntropy(tf.tensor2d(LOGITS), tf.tensor1d(LABELS, 'int32'), eps));
    expect((await loss.data())[0]).toBeCloseTo(byHand(eps), 6);
    loss.dispose();
  });

  it('label smoothing 0 equals the plain mean negative log-likelihood', () => {
    // By hand: -(log softmax(2, .5, -1)[0] + log softmax(.1, .2, .3)[2]) / 2.
    const l0 = -Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(0.5) + Math.exp(-1)));
    const l1 = -Math.log(Math.exp(0.3) / (Math.exp(0.1) + Math.exp(0.2) + Math.exp(0.3)));
    expect(byHand(0)).toBeCloseTo((l0 + l1) / 2, 12);
  });

  it.each([0, 0.1])('gradient is (softmax - target) / batch, as autodiff through the composed loss gives (label_smoothing=%s)', async (eps) => {
    const z = tf.tensor2d(LOGITS);
    const y = tf.tensor1d(LABELS, 'int32');
    const fused = tf.grad((l: tf.Tensor) => softmaxCrossEntropy(l, y, eps))(z);
    const composed = tf.grad((l: tf.Tensor) => composedLoss(l, y, eps))(z);
    const want = LOGITS.flatMap((row, b) => {
      const e = row.map((v) => Math.exp(v));
      const s = e.reduce((a, v) => a + v, 0);
      return e.map((v, j) => (v / s - ((j === LABELS[b] ? 1 - eps : 0) + eps / row.length)) / LOGITS.length);
    });
    const got = Array.from(await fused.data());
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 6));
    Array.from(await composed.data()).forEach((g, i) => expect(g).toBeCloseTo(got[i]!, 6));
    tf.dispose([z, y, fused, composed]);
  });

  it('a training step runs fewer kernels than autodiff through the composed loss, and leaks no tensor', async () => {
    const z = tf.variable(tf.tensor2d(LOGITS));
    const y = tf.tensor1d(LABELS, 'int32');
    const kernels = async (loss: typeof softmaxCrossEntropy) => {
      const before = tf.memory().numTensors;
      const info = await tf.profile(() => tf.tidy(() => tf.sum(tf.variableGrads(() => loss(z, y, 0.1), [z]).grads[z.name]!)));
      expect(tf.memory().numTensors).toBe(before + 1); // the returned sum only
      tf.dispose(info.result as tf.Tensor);
      return info.kernels.length;
    };
    const fused = await kernels(softmaxCrossEntropy);
    const composed = await kernels(composedLoss);
    expect(fused).toBeLessThan(composed - 5);
    tf.dispose([z, y]);
  });

  it('rejects label smoothing outside [0, 1)', () => {
    expect(() => tf.tidy(() => softmaxCrossEntropy(tf.tensor2d(LOGITS), tf.tensor1d(LABELS, 'int32'), 1))).toThrow(/labelSmoothing/);
  });
});
