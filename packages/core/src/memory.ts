import * as tf from '@tensorflow/tfjs-core';

/** Disposes every tensor in a (possibly nested) record or array. */
export function disposeAll(value: unknown): void {
  if (value instanceof tf.Tensor) value.dispose();
  else if (Array.isArray(value)) value.forEach(disposeAll);
  else if (value && typeof value === 'object') Object.values(value).forEach(disposeAll);
}

/**
 * Runs fn and reports how many tensors it left behind. Training steps and epochs use it in
 * tests to prove tf.memory().numTensors stays flat.
 */
export async function countLeaks<T>(fn: () => T | Promise<T>): Promise<{ result: T; leaked: number }> {
  const before = tf.memory().numTensors;
  const result = await fn();
  return { result, leaked: tf.memory().numTensors - before };
}

/** Throws when fn leaves tensors behind (beyond `allowed`, e.g. its returned tensors). */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>, allowed = 0, what = 'step'): Promise<T> {
  const { result, leaked } = await countLeaks(fn);
  if (leaked > allowed) throw new Error(`${what} leaked ${leaked - allowed} tensor(s): dispose them or run the step inside tf.tidy`);
  return result;
}

