import * as tf from '@tensorflow/tfjs-core';

/**
 * nn.CrossEntropyLoss(label_smoothing=ε) on logits [B, K] and integer labels [B]: the mean over
 * the batch of -(1-ε)·log p_y - (ε/K)·Σ_k log p_k (PyTorch's formula). Call inside tf.tidy.
 */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor, labelSmoothing = 0): tf.Scalar {
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
    throw new RangeError(`labelSmoothing must be in [0, 1), got ${labelSmoothing}`);
  }
  if (logits.rank !== 2) throw new Error(`softmaxCrossEntropy expects logits [batch, classes], got shape [${logits.shape.join(', ')}]`);
  const k = logits.shape[1] as number;
  const logp = tf.logSoftmax(logits as tf.Tensor2D);
  const oneHot = tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, k);
  const nll = tf.neg(tf.sum(tf.mul(oneHot, logp), 1));
  if (labelSmoothing === 0) return tf.mean(nll);
  const smooth = tf.neg(tf.mean(logp, 1));
  return tf.mean(tf.add(tf.mul(nll, 1 - labelSmoothing), tf.mul(smooth, labelSmoothing)));
}
