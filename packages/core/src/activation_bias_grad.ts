import * as tf from '@tensorflow/tfjs-core';
import { BackendFastPath } from './backend_fast_path.js';

export type FusedActivation = 'relu' | 'sigmoid';

/** A backend's fused activation and bias gradient (see activationBiasGrad); null where it does not apply. */
export type ActivationBiasGrad = (dy: tf.Tensor, y: tf.Tensor, activation: FusedActivation) => { g: tf.Tensor; db: tf.Tensor1D } | null;

const impls = new BackendFastPath<ActivationBiasGrad>();

/** Registers `backendName`'s activation and bias gradient (`@convnets/backends/wasm` and `/cpu` do). */
export function registerActivationBiasGrad(backendName: string, impl: ActivationBiasGrad): void {
  impls.register(backendName, impl);
}

/**
 * The gradient through a fused relu or sigmoid, from the activation's output y, and the bias
 * gradient (g summed over every axis but the last), in one pass over dy instead of three to
 * four tfjs ops (step or 1 - y, products, Sum). g has the bits of tfjs's formulas
 * (dy·step(y), dy·(y·(1 - y))).
 *
 * Returns null where no implementation is registered for this backend, or it declines: the
 * caller takes the op path.
 */
export function activationBiasGrad(dy: tf.Tensor, y: tf.Tensor, activation: FusedActivation): { g: tf.Tensor; db: tf.Tensor1D } | null {
  if (dy.dtype !== 'float32' || y.dtype !== 'float32' || !tf.util.arraysEqual(dy.shape, y.shape)) return null;
  return impls.current()?.(dy, y, activation) ?? null;
}
