import type { Module, Rng } from '@convnets/core';
import { inferOutputShape, withChildPath } from '@convnets/layers';

/** Options every model takes. */
export interface BaseModelOptions {
  /** Image channels (1 for Fashion-MNIST). Default 1. */
  inChannels?: number;
  /** Output classes. Default 10. */
  numClasses?: number;
  /** Where PyTorch's default init draws from. Default: defaultRng() (see manualSeed). */
  rng?: Rng;
}

const names = new WeakMap<Module, string>();

/** Remembers the registry name of a network (summary() prints it). */
export function setModelName<M extends Module>(m: M, name: string): M {
  names.set(m, name);
  return m;
}

/** The registry name a model was built under ('alexnet'), or its class name. */
export function modelName(m: Module): string {
  return names.get(m) ?? m.typeName;
}

export function positiveInt(what: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${what} must be a positive integer, got ${v}`);
  return v;
}

/**
 * The NCHW output shape after running a list of named layers on an input shape, with the
 * failing layer's name in any error (used to size the first Linear layer from inputSize).
 */
export function shapeThrough(layers: readonly (readonly [string, Module])[], inputShape: readonly number[]): number[] {
  let shape = [...inputShape];
  for (const [name, m] of layers) shape = withChildPath(name, () => inferOutputShape(m, shape));
  return shape;
}

export const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
