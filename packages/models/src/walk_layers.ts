import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@convnets/core';
import { callChild, Sequential, withChildPath } from '@convnets/layers';
import { stagesOf } from './summary.js';

/** One output seen by walkLayers. */
export interface WalkedLayer {
  /** Dotted path, as in state_dict names: `conv`, `conv.0`. */
  name: string;
  type: string;
  module: Module;
  /** 0 for the model's top-level children, 1 for their children, and so on. */
  depth: number;
  /** NHWC (tfjs order); owned by the caller's tf.tidy. */
  output: tf.Tensor;
}

/** Runs x through a Sequential's children one at a time, reporting every output (nested Sequentials too). */
function walkSequential(seq: Sequential, x: tf.Tensor, prefix: string, depth: number, visit: (l: WalkedLayer) => void): void {
  let y = x;
  for (const [name, child] of seq.namedChildren()) {
    const input = y;
    const path = `${prefix}.${name}`;
    y = withChildPath(prefix, () => callChild(name, child, input));
    visit({ name: path, type: child.typeName, module: child, depth, output: y });
    if (child instanceof Sequential) walkSequential(child, input, path, depth + 1, visit);
  }
}

/**
 * The seed's shape walk (`for name, blk in net.named_children(): X = blk(X)`), one level or
 * all the way down: with `expand`, each Sequential block is also run child by child, so every
 * layer's output is seen, right after its block's. Inception and residual blocks are not chains,
 * so they are reported whole. Call it inside tf.tidy; it returns the model's output.
 */
export function walkLayers(model: Module, x: tf.Tensor, visit: (l: WalkedLayer) => void, opts: { expand?: boolean } = {}): tf.Tensor {
  let y = x;
  for (const stage of stagesOf(model)) {
    // A stage's input transform is a reshape of the shape before it (AlexNet's flatten before fc).
    const input = stage.input ? tf.reshape(y, stage.input(y.shape)) : y;
    y = withChildPath(stage.name, () => stage.module.forward(input));
    visit({ name: stage.name, type: stage.module.typeName, module: stage.module, depth: 0, output: y });
    if (opts.expand && stage.module instanceof Sequential) walkSequential(stage.module, input, stage.name, 1, visit);
  }
  return y;
}
