import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@convnets/core';

/** Formats a shape the way the error messages print it: `[1, 256, 2, 2]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** What went wrong with a layer's input. */
export type LayerInputProblem = 'too-small' | 'channels' | 'features' | 'rank' | 'batch' | 'argument';

/**
 * A layer refused its input. The message names the layer's path inside the network
 * (`conv.5`), its PyTorch repr and the input shape in PyTorch's NCHW order, then says what
 * to do. Containers (Sequential, Inception, Residual, the models) prefix the child's name as
 * the error propagates, so the path is complete when it reaches the caller.
 */
export class LayerInputError extends Error {
  /** Dotted path of the failing layer from the outermost container that saw the error ('' if called directly). */
  path: string;
  /** The layer's repr, as PyTorch prints it. */
  readonly layer: string;
  /** The input shape in PyTorch's order (NCHW for images). */
  readonly inputShape: number[];
  readonly problem: LayerInputProblem;
  /** The explanation after the shape. */
  readonly detail: string;

  constructor(layer: string, inputShape: readonly number[], problem: LayerInputProblem, detail: string) {
    super('');
    this.name = 'LayerInputError';
    this.path = '';
    this.layer = layer;
    this.inputShape = [...inputShape];
    this.problem = problem;
    this.detail = detail;
    this.message = this.compose();
  }

  /** Adds a parent container's child name in front of the path (used while the error propagates). */
  prefix(name: string): this {
    this.path = this.path ? `${name}.${this.path}` : name;
    this.message = this.compose();
    return this;
  }

  private compose(): string {
    const where = this.path ? `${this.path} (${this.layer})` : this.layer;
    const what = this.problem === 'too-small' ? 'is too small' : 'does not fit';
    return `${where}: input of shape ${formatShape(this.inputShape)} (NCHW) ${what}: ${this.detail}`;
  }
}

/**
 * Runs `fn` (usually `child.forward(x)` or a shape inference) and, if the child rejects its
 * input, prefixes the child's name to the error's layer path.
 */
export function withChildPath<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof LayerInputError) e.prefix(name);
    throw e;
  }
}

/** Calls `child.forward(x)`, adding `name` to the path of any LayerInputError. */
export function callChild(name: string, child: Module, x: tf.Tensor): tf.Tensor {
  return withChildPath(name, () => child.forward(x));
}
