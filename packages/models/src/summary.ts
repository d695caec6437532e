import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@convnets/core';
import { torchOrder } from '@convnets/layers';
import { modelName } from './common.js';
import { walkLayers } from './walk_layers.js';

/** One step of a summary walk: a top-level child and how the model's forward feeds it. */
export interface SummaryStage {
  name: string;
  module: Module;
  run(x: tf.Tensor): tf.Tensor;
  /** What the forward does to x before `module` (AlexNet flattens before fc); default none. */
  prepare?(x: tf.Tensor): tf.Tensor;
}

/** A model whose top level is not a plain chain (AlexNet flattens between conv and fc). */
export interface HasSummaryStages {
  summaryStages(): SummaryStage[];
}

export interface SummaryLayer {
  name: string;
  type: string;
  /** PyTorch order: [N, C, H, W] for images, [N, features] after Flatten. */
  outputShape: number[];
  params: number;
  /** With `expand`: 0 for a top-level block, 1 for a layer inside it, and so on. */
  depth?: number;
}

/** What summary() returns; every shape is in PyTorch's NCHW order, as the seed prints them. */
export interface SummaryJson {
  model: string;
  inputShape: number[];
  params: number;
  layers: SummaryLayer[];
}

export type SummaryInput = readonly [number, number, number, number] | { inputSize: number; inChannels?: number; batchSize?: number };

/**
 * The seed's shape walk, `for name, blk in net.named_children(): X = blk(X); print(name,
 * 'output shape:', X.shape)`: runs a random batch through the top-level children in order
 * (in eval mode, restoring the previous mode afterwards) and reports each child's output
 * shape and parameter count.
 *
 * `input` is an NHWC shape [N, H, W, C] (tfjs order) or { inputSize, inChannels = 1,
 * batchSize = 1 }. The returned shapes, input included, are in PyTorch's NCHW order, so they
 * compare directly with PyTorch (interop/check.py summary). Every tensor it makes is
 * disposed. A too-small input throws the layer's LayerInputError (path and shape).
 * `expand` adds a row for every layer inside each Sequential block, after the block's row,
 * with its `depth` (see walkLayers).
 */
export function summary(model: Module, input: SummaryInput, opts: { name?: string; expand?: boolean } = {}): SummaryJson {
  const nhwc: number[] = Array.isArray(input)
    ? [...(input as readonly number[])]
    : (() => {
        const o = input as { inputSize: number; inChannels?: number; batchSize?: number };
        return [o.batchSize ?? 1, o.inputSize, o.inputSize, o.inChannels ?? 1];
      })();
  if (nhwc.length !== 4 || nhwc.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`summary: the input shape must be NHWC [N, H, W, C] with positive integers, got [${nhwc.join(', ')}]`);
  }
  const wasTraining = model.training;
  model.eval();
  const layers: SummaryLayer[] = [];
  try {
    tf.tidy(() => {
      const x = tf.randomUniform(nhwc, 0, 1, 'float32', 0);
      walkLayers(
        model,
        x,
        (l) => layers.push({ name: l.name, type: l.type, outputShape: torchOrder(l.output.shape), params: l.module.numParams(), ...(opts.expand ? { depth: l.depth } : {}) }),
        { expand: opts.expand },
      );
    });
  } finally {
    model.train(wasTraining);
  }
  return { model: opts.name ?? modelName(model), inputShape: torchOrder(nhwc), params: model.numParams(), layers };
}

/** A text table of a summary, like torchsummary's, with NCHW shapes. */
export function formatSummary(s: SummaryJson): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const rows = s.layers.map((l) => [l.name, l.type, `[${l.outputShape.join(', ')}]`, fmt(l.params)]);
  const head = ['name', 'type', 'output shape (NCHW)', 'params'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const rule = '-'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [
    `${s.model}: input [${s.inputShape.join(', ')}] (NCHW)`,
    rule,
    line(head),
    rule,
    ...rows.map(line),
    rule,
    `total params: ${fmt(s.params)}`,
  ].join('\n');
}
