import * as tf from '@tensorflow/tfjs-core';

/**
 * nn.CrossEntropyLoss(label_smoothing=ε) on logits [B, K] and integer labels [B]: the mean over
 * the batch of -(1-ε)·log p_y - (ε/K)·Σ_k log p_k (PyTorch's formula). Call inside tf.tidy.
 *
 * One fused gradient, (softmax - target) / B with target = (1-ε)·onehot + ε/K, instead of
 * backpropagating through log-softmax, the one-hot product, the sum and the mean: a third of
 * the kernels a loss took (a GPU pays for each dispatch).
 */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor, labelSmoothing = 0): tf.Scalar {
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
    throw new RangeError(`labelSmoothing must be in [0, 1), got ${labelSmoothing}`);
  }
  if (logits.rank !== 2) throw new Error(`softmaxCrossEntropy expects logits [batch, classes], got shape [${logits.shape.join(', ')}]`);
  const [batch, k] = logits.shape as [number, number];
  // oneHot's own float32 dtype is not honoured by tfjs-backend-wasm 4.22 (it writes int32 bits): cast.
  const oneHot = tf.cast(tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, k), 'float32');
  const target = labelSmoothing === 0 ? oneHot : tf.add(tf.mul(oneHot, 1 - labelSmoothing), labelSmoothing / k);
  // customGrad's inputs are typed (Tensor | GradSaveFunc)[]: here one tensor, then save.
  const loss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [z, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const logp = tf.logSoftmax(z);
    save([logp, target]); // f's tensors are gone by the backward pass: the saved ones are kept
    return {
      value: tf.div<tf.Scalar>(tf.neg(tf.sum(tf.mul(target, logp))), batch),
      gradFunc: (dy: tf.Scalar, [savedLogp, savedTarget]: tf.Tensor[]) => tf.mul(tf.sub(tf.exp(savedLogp!), savedTarget!), tf.div(dy, batch)),
    };
  });
  return loss(logits);
}
