import * as tf from '@tensorflow/tfjs-core';
import { fromTorchPerm, type ParamLayout, Parameter, permuteValues, torchShape } from './parameter.js';
import { defaultRng, type Rng } from './random.js';
import { buildingShapeOnly } from './shape_only.js';

/**
 * Initialisers with PyTorch's formulas (torch.nn.init). Values are drawn in PyTorch's
 * element order ([out, in, kh, kw]) from a seeded Rng on the CPU, then laid out for tfjs,
 * so one seed gives the same weights on every backend.
 */

/** torch.nn.init._calculate_fan_in_and_fan_out, on a PyTorch-layout shape. */
export function fanInAndOut(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) {
    throw new Error(`Fan in and fan out need a tensor with at least 2 dimensions, got shape [${shape.join(', ')}]`);
  }
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

/** torch.nn.init.calculate_gain for the nonlinearities the chapter uses. */
export function calculateGain(nonlinearity: 'linear' | 'sigmoid' | 'relu' | 'leaky_relu' | 'tanh', param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
  }
}

export type InitScheme =
  | { kind: 'uniform'; bound: number }
  | { kind: 'normal'; std: number }
  | { kind: 'kaimingUniform'; a: number }
  | { kind: 'xavierUniform'; gain?: number }
  | { kind: 'xavierNormal'; gain?: number }
  | { kind: 'constant'; value: number };

/** The bound or std that a scheme gives for a PyTorch-layout shape. */
export function initBound(scheme: InitScheme, shape: readonly number[]): number {
  switch (scheme.kind) {
    case 'uniform':
      return scheme.bound;
    case 'normal':
      return scheme.std;
    case 'constant':
      return scheme.value;
    case 'kaimingUniform': {
      const { fanIn } = fanInAndOut(shape);
      const gain = calculateGain('leaky_relu', scheme.a);
      return gain * Math.sqrt(3 / fanIn);
    }
    case 'xavierUniform': {
      const { fanIn, fanOut } = fanInAndOut(shape);
      return (scheme.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
    }
    case 'xavierNormal': {
      const { fanIn, fanOut } = fanInAndOut(shape);
      return (scheme.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
    }
  }
}

/** Draws values for a PyTorch-layout shape, in PyTorch's element order. */
export function sample(scheme: InitScheme, shape: readonly number[], rng: Rng = defaultRng()): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const b = initBound(scheme, shape);
  switch (scheme.kind) {
    case 'constant':
      out.fill(b);
      break;
    case 'normal':
    case 'xavierNormal':
      for (let i = 0; i < n; i++) out[i] = rng.normal(0, b);
      break;
    default:
      for (let i = 0; i < n; i++) out[i] = rng.uniform(-b, b);
  }
  return out;
}

/** Builds a tensor in tfjs layout from values given in PyTorch's layout and order. */
export function fromTorchValues(layout: ParamLayout, values: Float32Array, torchDims: readonly number[]): tf.Tensor {
  const perm = fromTorchPerm(layout);
  if (!perm) return tf.tensor(values, [...torchDims], 'float32');
  return tf.tensor(permuteValues(values, torchDims, perm), perm.map((p) => torchDims[p]), 'float32');
}

/** Re-initialises a parameter in place with a scheme, drawing from rng. */
export function initParameter(p: Parameter, scheme: InitScheme, rng: Rng = defaultRng()): void {
  const dims = torchShape(p.layout, p.shape);
  const value = fromTorchValues(p.layout, sample(scheme, dims, rng), dims);
  p.assign(value);
  value.dispose();
}

/**
 * PyTorch's default init for Conv2d and Linear (reset_parameters): weight kaiming_uniform
 * with a=√5, so U(±1/√fan_in), and bias U(±1/√fan_in).
 */
export function pytorchDefaultInit(weightTorchShape: readonly number[], rng: Rng = defaultRng()): { weight: Float32Array; bias: Float32Array } {
  const weight = sample({ kind: 'kaimingUniform', a: Math.sqrt(5) }, weightTorchShape, rng);
  const { fanIn } = fanInAndOut(weightTorchShape);
  const bias = sample({ kind: 'uniform', bound: fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0 }, [weightTorchShape[0]], rng);
  return { weight, bias };
}

/**
 * A Conv2d's or Linear's parameters as PyTorch creates them (reset_parameters), given the
 * weight's PyTorch shape: [out, in, kh, kw] for conv2d, [out, in] for linear.
 */
export function pytorchDefaultParameters(
  layout: 'conv2d' | 'linear',
  weightTorchShape: readonly number[],
  rng: Rng = defaultRng(),
  withBias = true,
): { weight: Parameter; bias: Parameter | null } {
  if (buildingShapeOnly()) {
    const perm = fromTorchPerm(layout);
    const shape = perm ? perm.map((i) => weightTorchShape[i]) : [...weightTorchShape];
    return { weight: Parameter.shapeOnly(shape, layout), bias: withBias ? Parameter.shapeOnly([weightTorchShape[0]]) : null };
  }
  const init = pytorchDefaultInit(weightTorchShape, rng);
  const weight = new Parameter(fromTorchValues(layout, init.weight, weightTorchShape), layout);
  const bias = withBias ? new Parameter(tf.tensor1d(init.bias, 'float32'), 'plain') : null;
  return { weight, bias };
}
