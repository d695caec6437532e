import * as tf from '@tensorflow/tfjs-core';
import { BackendFastPath } from './backend_fast_path.js';

/** Adam's scalars for one step, as Adam.apply computes them. */
export interface AdamStepScalars {
  beta1: number;
  beta2: number;
  /** lr / (1 - beta1^t) */
  stepSize: number;
  /** sqrt(1 - beta2^t) */
  bc2Sqrt: number;
  eps: number;
}

/** A backend's fused Adam step (see fusedAdamStep); null where it does not apply. */
export type FusedAdamStep = (p: tf.Tensor, g: tf.Tensor, m: tf.Variable, v: tf.Variable, s: AdamStepScalars) => tf.Tensor | null;

const impls = new BackendFastPath<FusedAdamStep>();

/** Registers `backendName`'s fused Adam step (`@convnets/backends/wasm` and `/cpu` do). */
export function registerFusedAdamStep(backendName: string, impl: FusedAdamStep): void {
  impls.register(backendName, impl);
}

/**
 * One Adam step for one float32 parameter in a single pass, instead of 13 tfjs ops that each
 * read and write whole tensors. `m` and `v` are updated in place; the new parameter is returned
 * for `p.assign`. The float32 operations are those of the op path, in the same order, so the
 * bits are the same.
 *
 * Returns null where it does not apply, and the caller takes the op path: no implementation
 * registered for this backend, or one that declines (moments whose buffer another tensor shares,
 * a wasm build whose memory it cannot reach).
 */
export function fusedAdamStep(p: tf.Tensor, g: tf.Tensor, m: tf.Variable, v: tf.Variable, s: AdamStepScalars): tf.Tensor | null {
  if ([p, g, m, v].some((t) => t.dtype !== 'float32' || t.size !== p.size)) return null;
  return impls.current()?.(p, g, m, v, s) ?? null;
}
