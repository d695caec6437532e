/**
 * FLOPs from layer shapes: forward = 2 x MACs of every convolution and linear layer
 * (bias adds, activations, pooling and the loss are not counted); training ~ 3 x forward
 * (forward, grad w.r.t. inputs, grad w.r.t. weights).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@convnets/core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Dimension i of a shape (0 if absent). */
const dim = (shape: readonly (number | null | undefined)[], i: number): number => shape[i] ?? 0;

export type FlopOp =
  | { kind: 'conv'; name: string; kh: number; kw: number; inC: number; outC: number; outH: number; outW: number }
  | { kind: 'linear'; name: string; inF: number; outF: number };

/** Multiply-accumulates of one image through one layer. */
export function opMacs(op: FlopOp): number {
  return op.kind === 'conv' ? op.outH * op.outW * op.outC * op.kh * op.kw * op.inC : op.inF * op.outF;
}

/** Forward FLOPs of one image: 2 x MACs. */
export function forwardFlops(ops: readonly FlopOp[]): number {
  return 2 * ops.reduce((s, op) => s + opMacs(op), 0);
}

/** Training FLOPs of one image (forward + backward): 3 x forward. */
export function trainFlops(ops: readonly FlopOp[]): number {
  return 3 * forwardFlops(ops);
}

/** GFLOP/s achieved at `imgPerSec` images a second with `flopsPerImage` each. */
export function gflopsPerSec(flopsPerImage: number, imgPerSec: number | null): number | null {
  return imgPerSec == null ? null : (flopsPerImage * imgPerSec) / 1e9;
}

/** forward() and its fused variants (forwardRelu, forwardSigmoid: containers call them for Conv2d → activation). */
function forwardMethods(m: Module): string[] {
  const names = new Set<string>();
  for (let proto = Object.getPrototypeOf(m) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Object.getOwnPropertyNames(proto)) if (/^forward/.test(key)) names.add(key);
  }
  return [...names];
}

/**
 * The conv/linear layers of a convnets Module with their shapes, read by running one image
 * through it: every module that owns a `weight` parameter of layout conv2d ([kh,kw,in,out])
 * or linear ([in,out]) has its forward() (and fused variants) wrapped for the pass to record its output shape.
 */
export function traceModuleOps(model: Module, inputShape: [number, number, number]): FlopOp[] {
  const ops: FlopOp[] = [];
  const patched: [Module, string[]][] = [];
  for (const [name, m] of model.namedModules()) {
    const weight = m.namedParameters().find(([n]) => n === 'weight')?.[1];
    if (!weight || (weight.layout !== 'conv2d' && weight.layout !== 'linear')) continue;
    const shape = weight.shape;
    const record = (y: tf.Tensor) => {
      if (weight.layout === 'conv2d') {
        ops.push({ kind: 'conv', name, kh: dim(shape, 0), kw: dim(shape, 1), inC: dim(shape, 2), outC: dim(shape, 3), outH: dim(y.shape, 1), outW: dim(y.shape, 2) });
      } else {
        ops.push({ kind: 'linear', name, inF: dim(shape, 0), outF: dim(shape, 1) });
      }
      return y;
    };
    const methods = forwardMethods(m);
    for (const method of methods) {
      const original = (m as unknown as Record<string, unknown>)[method];
      if (typeof original !== 'function') continue;
      const wrapped = (x: tf.Tensor): tf.Tensor => record((original as (x: tf.Tensor) => tf.Tensor).call(m, x));
      Object.defineProperty(m, method, { value: wrapped, configurable: true, writable: true });
    }
    patched.push([m, methods]);
  }
  const wasTraining = model.training;
  model.eval();
  try {
    tf.tidy(() => {
      model.forward(tf.zeros([1, ...inputShape]));
    });
  } finally {
    for (const [m, methods] of patched) for (const method of methods) delete (m as unknown as Record<string, unknown>)[method];
    model.train(wasTraining);
  }
  if (ops.length === 0) {
    throw new Error(`traceModuleOps: found no conv2d/linear layers in ${model.typeName}; FLOPs cannot be counted`);
  }
  return ops;
}

/** The conv/linear layers of a tfjs-layers model, from its kernels and output shapes. */
export function tfjsLayersOps(model: tfl.LayersModel): FlopOp[] {
  const ops: FlopOp[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'Dense') continue;
    const kernel = layer.getWeights()[0]?.shape ?? [];
    const out = layer.outputShape as (number | null)[];
    if (cls === 'Conv2D') {
      ops.push({ kind: 'conv', name: layer.name, kh: dim(kernel, 0), kw: dim(kernel, 1), inC: dim(kernel, 2), outC: dim(kernel, 3), outH: dim(out, 1), outW: dim(out, 2) });
    } else {
      ops.push({ kind: 'linear', name: layer.name, inF: dim(kernel, 0), outF: dim(kernel, 1) });
    }
  }
  return ops;
}
