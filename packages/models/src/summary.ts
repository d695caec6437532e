import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@convnets/core';
import { torchOrder, withChildPath } from '@convnets/layers';
import { modelName } from './common.js';

/** One step of a summary walk: a top-level child and how the model's forward feeds it. */
export interface SummaryStage {
  name: string;
  module: Module;
  run(x: tf.Tensor): tf.Tensor;
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
}

/** What summary() returns; every shape is in PyTorch's NCHW order, as the seed prints them. */
export interface SummaryJson {
  model: string;
  inputShape: number[];
  params: number;
  layers: SummaryLayer[];
}

export type SummaryInput = readonly [number, number, number, number] | { inputSize: number; inChannels?: number; batchSize?: number };

function stagesOf(model: Module): SummaryStage[] {
  const custom = (model as Partial<HasSummaryStages>).summaryStages;
  if (typeof custom === 'function') return custom.call(model);
  return model.namedChildren().map(([name, module]) => ({ name, module, run: (x: tf.Tensor) => module.forward(x) }));
}

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
 */
export function summary(model: Module, input: SummaryInput, opts: { name?: string } = {}): SummaryJson {
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
      let x: tf.Tensor = tf.randomUniform(nhwc, 0, 1, 'float32', 0);
      for (const stage of stagesOf(model)) {
        const child = stage.module;
        const input = x;
        x = withChildPath(stage.name, () => stage.run(input));
        layers.push({ name: stage.name, type: child.typeName, outputShape: torchOrder(x.shape), params: child.numParams() });
      }
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
