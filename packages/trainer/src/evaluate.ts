import * as tf from '@tensorflow/tfjs-core';
import { throwIfDeviceErrors, type Module } from '@convnets/core';
import { batches } from '@convnets/data';
import type { DatasetLike, EvaluateOptions, EvaluateResult } from './types.js';

/** Runs fn with every module in eval mode, then restores each module's own mode. */
export async function withEvalMode<T>(model: Module, fn: () => Promise<T> | T): Promise<T> {
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  model.eval();
  try {
    return await fn();
  } finally {
    for (const [m, mode] of modes) m.training = mode;
  }
}

/**
 * Accuracy, confusion matrix, per-class accuracy and predictions on a dataset, batched, in
 * eval mode (dropout off, BatchNorm running statistics) and without a gradient tape. The
 * model's train/eval modes are restored afterwards.
 */
export async function evaluate(model: Module, dataset: DatasetLike, options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const batchSize = options.batchSize ?? 256;
  const predictions = new Int32Array(dataset.length);
  let matrix: number[][] = [];
  let correct = 0;
  await withEvalMode(model, async () => {
    const iter = batches(dataset, { batchSize, resize: options.inputSize, normalize: options.normalize, shuffle: false });
    for await (const { x, y, indices } of iter) {
      let k = 0;
      const pred = tf.tidy(() => {
        const logits = model.forward(x);
        k = logits.shape[1] ?? 0;
        return tf.argMax(logits, 1);
      });
      tf.dispose([x, y]);
      if (matrix.length === 0) matrix = square(k);
      const p = (await pred.data()) as Int32Array;
      pred.dispose();
      throwIfDeviceErrors();
      for (let j = 0; j < p.length; j++) {
        const i = indices[j];
        const truth = dataset.labels[i];
        if (truth >= k) throw new RangeError(`evaluate: label ${truth} of example ${i} is outside the model's ${k} classes`);
        predictions[i] = p[j];
        matrix[truth][p[j]] += 1;
        if (truth === p[j]) correct += 1;
      }
    }
  });
  const perClass = matrix.map((row, c) => {
    const n = row.reduce((a, b) => a + b, 0);
    return n ? row[c] / n : NaN;
  });
  const total = dataset.length;
  return { accuracy: total ? correct / total : NaN, correct, total, confusion: matrix, perClass, predictions };
}

/** Class probabilities (softmax of the logits) for a batch, in eval mode; the caller disposes. */
export function predict(model: Module, x: tf.Tensor4D): tf.Tensor2D {
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  model.eval();
  try {
    return tf.tidy(() => tf.softmax(model.forward(x) as tf.Tensor2D));
  } finally {
    for (const [m, mode] of modes) m.training = mode;
  }
}

function square(k: number): number[][] {
  return Array.from({ length: k }, () => new Array<number>(k).fill(0));
}
