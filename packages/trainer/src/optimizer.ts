import * as tf from '@tensorflow/tfjs-core';
import type { TensorEntry } from '@convnets/core';

/** A named trainable tensor (a Parameter's variable under its state_dict name). */
export interface NamedVariable {
  name: string;
  variable: tf.Variable;
}

/** What an optimizer saves in a checkpoint: scalars as JSON, slot tensors as safetensors entries. */
export interface OptimizerState {
  kind: 'adam' | 'sgd';
  /** Steps taken (Adam's bias-correction t). */
  step: number;
  hyper: Record<string, number>;
  /** Slot tensors, named `<param>.<slot>` (e.g. `conv.0.weight.exp_avg`). */
  tensors: Record<string, TensorEntry>;
}

/**
 * A PyTorch-semantics optimizer over a fixed list of variables, written with tf ops: its state
 * lives in tf variables, and `apply` runs inside the caller's tidy without reading anything back.
 */
export interface Optimizer {
  readonly kind: 'adam' | 'sgd';
  /** Steps taken so far. */
  readonly stepCount: number;
  /** One update with these gradients (same order as the variables) at learning rate lr. */
  apply(grads: readonly tf.Tensor[], lr: number): void;
  /** Reads the state back asynchronously (GPU-safe); change nothing until it resolves. */
  getState(): Promise<OptimizerState>;
  setState(state: OptimizerState): void;
  /** The optimizer's own state tensors (moments, momentum buffers). */
  slotVariables(): tf.Variable[];
  dispose(): void;
}

export function checkHyper(name: string, value: number, ok: (v: number) => boolean, want: string): void {
  if (!ok(value)) throw new RangeError(`${name} must be ${want}, got ${value}`);
}

/** Reads slot variables into safetensors entries, all at once and asynchronously (checkpoints only). */
export async function slotEntries(vars: readonly NamedVariable[], slots: Record<string, readonly tf.Variable[]>): Promise<Record<string, TensorEntry>> {
  const named = Object.entries(slots).flatMap(([slot, list]) => list.map((v, i) => [`${vars[i].name}.${slot}`, v] as const));
  const values = await Promise.all(named.map(([, v]) => v.data()));
  return Object.fromEntries(named.map(([name, v], i) => [name, { dtype: 'F32', shape: [...v.shape], data: Float32Array.from(values[i]) } satisfies TensorEntry]));
}

/** Assigns saved slot tensors; every missing or mis-shaped one is reported in one error. */
export function loadSlots(
  kind: string,
  vars: readonly NamedVariable[],
  slots: Record<string, readonly tf.Variable[]>,
  tensors: Record<string, TensorEntry>,
): void {
  const problems: string[] = [];
  for (const [slot, list] of Object.entries(slots)) {
    list.forEach((v, i) => {
      const key = `${vars[i].name}.${slot}`;
      const t = tensors[key];
      if (!t) problems.push(`missing ${key}`);
      else if (t.shape.length !== v.shape.length || t.shape.some((d, j) => d !== v.shape[j])) {
        problems.push(`${key} has shape [${t.shape.join(', ')}], expected [${v.shape.join(', ')}]`);
      }
    });
  }
  if (problems.length) {
    throw new Error(`The checkpoint's ${kind} state does not fit this model (${problems.join('; ')}). Was it saved from the same model and optimizer?`);
  }
  for (const [slot, list] of Object.entries(slots)) {
    list.forEach((v, i) => {
      const t = tensors[`${vars[i].name}.${slot}`];
      tf.tidy(() => v.assign(tf.tensor(Float32Array.from(t.data as ArrayLike<number>), t.shape, 'float32')));
    });
  }
}
