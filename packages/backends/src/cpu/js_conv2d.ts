import type { backend_util, Conv2DAttrs, Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs, FusedConv2DAttrs, KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { nhwcConv2DInfo } from '../shared/conv2d_info.js';
import { addPatches, packPatches } from './conv_patches.js';
import { ACTIVATIONS, addBiasAndActivate } from './js_activations.js';
import { copyRows, gemmABt, gemmAtBAdd, roundUp4, transposeBlock } from '../shared/js_gemm.js';
import { kernelBuffers } from '../shared/kernel_buffers.js';

/**
 * The cpu backend's convolutions as products of patches (im2col, a block of output pixels at a
 * time) with the filter, in js_gemm's tiles: tfjs cpu's own loops run 0.2-0.4 GFLOP/s on
 * LeNet's layers, these about 3 (one core).
 *
 * - forward: y = patches · W, then bias and activation;
 * - filter gradient: dW = Σ patchesᵀ · dy over the pixels, summed in float64;
 * - input gradient: dpatches = dy · Wᵀ, added back onto the pixels they were read from.
 */

/** Floats of patches packed per block: 256 KB stays in cache while the filter passes over it. */
const BLOCK_FLOATS = 1 << 16;

/** Pixels per block: a multiple of 4, the products' tile height. */
function blockRows(k: number, pixels: number): number {
  return Math.min(roundUp4(pixels), Math.max(4, Math.floor(BLOCK_FLOATS / Math.max(1, k) / 4) * 4));
}

/** The products' sizes: a patch's length k (fh·fw·c), the output channels m, the output pixels. */
function sizes(info: backend_util.Conv2DInfo): { k: number; m: number; pixels: number } {
  return { k: info.filterHeight * info.filterWidth * info.inChannels, m: info.outChannels, pixels: info.batchSize * info.outHeight * info.outWidth };
}

function values(backend: KernelBackend, t: TensorInfo): Float32Array {
  // cpu kernel: readSync hands back the stored array (no GPU download).
  return backend.readSync(t.dataId) as Float32Array;
}

function forward(backend: KernelBackend, x: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo, epilogue?: (y: Float32Array) => void): TensorInfo {
  const { k, m, pixels } = sizes(info);
  const m4 = roundUp4(m);
  const out = kernelBuffers(backend, [info.batchSize, info.outHeight, info.outWidth, m]);
  const [xv, wv] = [values(backend, x), values(backend, filter)];
  const wt = new Float32Array(m4 * k); // [m4, k]: each output channel's weights in a row, zero rows after m
  transposeBlock(wv, 0, k, m, wt, 0);
  const rows = blockRows(k, pixels);
  const patches = new Float32Array(rows * k);
  let padded: Float32Array | undefined; // [rows, m4] where out cannot take the tiles directly
  for (let row0 = 0; row0 < pixels; row0 += rows) {
    const r = Math.min(rows, pixels - row0);
    const r4 = roundUp4(r);
    packPatches(xv, info, row0, r, patches, k);
    patches.fill(0, r * k, r4 * k);
    if (m4 === m && r4 === r) {
      gemmABt(patches, 0, wt, 0, out.values, row0 * m, r4, m4, k);
      continue;
    }
    padded ??= new Float32Array(rows * m4);
    gemmABt(patches, 0, wt, 0, padded, 0, r4, m4, k);
    copyRows(padded, 0, m4, out.values, row0 * m, m, r, m);
  }
  epilogue?.(out.values);
  return out.info();
}

/** Conv2D, NHWC: inputs {x, filter}; attrs {strides, pad, dilations, dimRoundingMode}. */
export const conv2dJs: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as Conv2DAttrs;
  return forward(backend as KernelBackend, x, filter, nhwcConv2DInfo(x.shape, filter.shape, a, a.dilations));
};

/**
 * FusedConv2D, NHWC, with a linear, relu or sigmoid activation: the products, then the bias
 * and the activation in one pass over y. Other activations go to `fallback` (tfjs's kernel).
 */
export function fusedConv2dJs(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const a = args.attrs as unknown as FusedConv2DAttrs;
    const activation = ACTIVATIONS[a.activation];
    if (activation === undefined || preluActivationWeights) return fallback(args);
    const m = filter.shape[3]!;
    const biasSize = bias?.shape.reduce((p, d) => p * d, 1);
    if (biasSize !== undefined && biasSize !== m && biasSize !== 1) return fallback(args); // broadcasting beyond channels: tfjs's kernel
    const backend = args.backend as KernelBackend;
    const biasValues = bias ? values(backend, bias) : undefined;
    return forward(backend, x, filter, nhwcConv2DInfo(x.shape, filter.shape, a, a.dilations), (y) => addBiasAndActivate(y, m, biasValues, activation));
  };
}

/** Conv2DBackpropFilter, NHWC: inputs {x, dy}; attrs {strides, pad, dimRoundingMode, filterShape}. */
export const conv2dBackpropFilterJs: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = nhwcConv2DInfo(x.shape, a.filterShape, a);
  const b = backend as KernelBackend;
  const { k, m, pixels } = sizes(info);
  const [k4, m4] = [roundUp4(k), roundUp4(m)];
  const [xv, dyv] = [values(b, x), values(b, dy)];
  const totals = new Float64Array(k4 * m4);
  const rows = blockRows(k4, pixels);
  const patches = new Float32Array(rows * k4); // columns k..k4 stay zero
  const dyPadded = m4 === m ? undefined : new Float32Array(rows * m4); // columns m..m4 stay zero
  for (let row0 = 0; row0 < pixels; row0 += rows) {
    const r = Math.min(rows, pixels - row0);
    packPatches(xv, info, row0, r, patches, k4);
    if (dyPadded) {
      copyRows(dyv, row0 * m, m, dyPadded, 0, m4, r, m);
      gemmAtBAdd(patches, dyPadded, 0, totals, k4, m4, r);
    } else {
      gemmAtBAdd(patches, dyv, row0 * m, totals, k4, m4, r);
    }
  }
  const out = kernelBuffers(b, a.filterShape);
  copyRows(totals, 0, m4, out.values, 0, m, k, m);
  return out.info();
};

/** Conv2DBackpropInput, NHWC: inputs {dy, filter}; attrs {strides, pad, dimRoundingMode, inputShape}. */
export const conv2dBackpropInputJs: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as Conv2DBackpropInputAttrs;
  const info = nhwcConv2DInfo(a.inputShape, filter.shape, a);
  const b = backend as KernelBackend;
  const { k, m, pixels } = sizes(info);
  const k4 = roundUp4(k);
  const dx = kernelBuffers(b, a.inputShape);
  const [dyv, wv] = [values(b, dy), values(b, filter)];
  // The filter [k, m] holds Wᵀ's rows; zero rows up to k4.
  const w4 = k4 === k ? wv : new Float32Array(k4 * m);
  if (w4 !== wv) w4.set(wv);
  const rows = blockRows(k4, pixels);
  const patches = new Float32Array(rows * k4);
  for (let row0 = 0; row0 < pixels; row0 += rows) {
    const r = Math.min(rows, pixels - row0);
    const r4 = roundUp4(r);
    if (r4 === r) {
      gemmABt(dyv, row0 * m, w4, 0, patches, 0, r4, k4, m);
    } else {
      const last = new Float32Array(r4 * m); // the last pixels' dy, zero rows up to r4
      last.set(dyv.subarray(row0 * m, (row0 + r) * m));
      gemmABt(last, 0, w4, 0, patches, 0, r4, k4, m);
    }
    addPatches(patches, k4, info, row0, r, dx.values);
  }
  return dx.info();
};
