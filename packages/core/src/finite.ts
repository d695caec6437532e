/**
 * Finiteness checks for weights: a NaN or infinite weight is a broken model even when the
 * loss stays finite (ReLU can turn NaN activations into zeros), so loading and training check.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TensorEntry } from './safetensors.js';

export class NonFiniteWeightsError extends Error {
  /** Names of the tensors holding NaN or infinite values. */
  readonly tensors: string[];
  constructor(source: string, tensors: string[], detail = '') {
    const list = tensors.length > 3 ? `${tensors.slice(0, 3).join(', ')} and ${tensors.length - 3} more` : tensors.join(', ');
    super(`${source}: tensor${tensors.length > 1 ? 's' : ''} ${list} hold${tensors.length > 1 ? '' : 's'} NaN or infinite values${detail}`);
    this.name = 'NonFiniteWeightsError';
    this.tensors = tensors;
  }
}

/** Names of the floating-point entries (already on the CPU) that hold a NaN or an infinity. */
export function nonFiniteEntries(tensors: Record<string, TensorEntry>): string[] {
  const bad: string[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    if (!(t.data instanceof Float32Array || t.data instanceof Float64Array)) continue;
    for (const v of t.data) {
      if (!Number.isFinite(v)) {
        bad.push(name);
        break;
      }
    }
  }
  return bad;
}

/**
 * Names of the float tensors holding a NaN or an infinity, checked on the backend: one count
 * per tensor, stacked, and ONE small asynchronous read (nothing synchronous, so GPU-safe).
 */
export async function nonFiniteTensors(named: readonly (readonly [string, tf.Tensor])[]): Promise<string[]> {
  const floats = named.filter(([, t]) => t.dtype === 'float32');
  if (floats.length === 0) return [];
  const counts = tf.tidy(() => tf.stack(floats.map(([, t]) => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(t)), 'float32')))));
  try {
    const c = await counts.data();
    return floats.filter((_, i) => c[i] > 0).map(([name]) => name);
  } finally {
    counts.dispose();
  }
}
