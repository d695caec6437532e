import type { Module } from '@convnets/core';
import { inferOutputShape, Sequential, torchOrder, withChildPath } from '@convnets/layers';
import { modelName } from './common.js';

/** One step of a summary walk: a top-level child, and how the model's forward shapes its input. */
export interface SummaryStage {
  name: string;
  module: Module;
  /** The shape the child receives, from the previous stage's output (AlexNet flattens before fc). */
  input?: (shape: number[]) => number[];
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
  /** With `expand`: how deep the layer sits (`conv.0` is 1, `b3.0.p1_1` 2); absent otherwise. */
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

export interface SummaryOptions {
  name?: string;
  /**
   * false (default): one row per top-level child, as the seed's `named_children()` loop.
   * true: every layer, as the seed's `for layer in net` loop over LeNet: Sequential blocks
   * (AlexNet's conv and fc, VGG and NiN blocks, GoogLeNet's b1–b5) are opened and their
   * layers listed with dotted names (`conv.0`); Inception and residual blocks stay one row.
   */
  expand?: boolean;
}

export function stagesOf(model: Module): SummaryStage[] {
  const custom = (model as Partial<HasSummaryStages>).summaryStages;
  if (typeof custom === 'function') return custom.call(model);
  return model.namedChildren().map(([name, module]) => ({ name, module }));
}

/** Rows for a module fed `shape`; containers are opened when expanding. Returns the output shape. */
function walk(name: string, module: Module, shape: number[], expand: boolean, rows: SummaryLayer[]): number[] {
  if (expand && (module instanceof Sequential || typeof (module as Partial<HasSummaryStages>).summaryStages === 'function')) {
    let x = shape;
    for (const stage of stagesOf(module)) {
      const input = stage.input ? stage.input(x) : x;
      x = withChildPath(stage.name, () => walk(`${name}.${stage.name}`, stage.module, input, expand, rows));
    }
    return x;
  }
  const out = inferOutputShape(module, shape);
  rows.push({ name, type: module.typeName, outputShape: out, params: module.numParams(), ...(expand ? { depth: name.split('.').length - 1 } : {}) });
  return out;
}

/**
 * The seed's shape walk, `for name, blk in net.named_children(): X = blk(X); print(name,
 * 'output shape:', X.shape)`, done on shapes: each layer computes its output shape from its
 * input shape (the checks forward() runs), so nothing is computed or allocated, and a
 * network built with buildShapeOnly (no parameter tensors) can be summarised.
 *
 * `input` is an NHWC shape [N, H, W, C] (tfjs order) or { inputSize, inChannels = 1,
 * batchSize = 1 }. The returned shapes, input included, are in PyTorch's NCHW order, so they
 * compare directly with PyTorch (interop/check.py summary). A too-small input throws the
 * layer's LayerInputError (path and shape).
 */
export function summary(model: Module, input: SummaryInput, opts: SummaryOptions = {}): SummaryJson {
  const nhwc: number[] = Array.isArray(input)
    ? [...(input as readonly number[])]
    : (() => {
        const o = input as { inputSize: number; inChannels?: number; batchSize?: number };
        return [o.batchSize ?? 1, o.inputSize, o.inputSize, o.inChannels ?? 1];
      })();
  if (nhwc.length !== 4 || nhwc.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`summary: the input shape must be NHWC [N, H, W, C] with positive integers, got [${nhwc.join(', ')}]`);
  }
  const layers: SummaryLayer[] = [];
  let x = torchOrder(nhwc);
  for (const stage of stagesOf(model)) {
    const input = stage.input ? stage.input(x) : x;
    x = withChildPath(stage.name, () => walk(stage.name, stage.module, input, opts.expand ?? false, layers));
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
