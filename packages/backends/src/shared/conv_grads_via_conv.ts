import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { nhwcConv2DInfo } from './conv2d_info.js';
import { kernelRunner } from './kernel_runner.js';
import { isPointwise, pointwiseFilterGrad, pointwiseInputGrad } from './pointwise_conv_grads.js';

/**
 * Convolution gradients built from the backend's own forward convolution.
 *
 * tfjs-backend-wasm has no Conv2DBackpropFilter and a slow Conv2DBackpropInput; the cpu
 * backend's gradient loops are 60-130x slower than its forward pass. Both gradients are
 * convolutions themselves, so each is computed by calling the backend's Conv2D (XNNPACK on
 * wasm) plus its Transpose/Pad/Slice/Reverse/Reshape kernels, the way tfjs's own kernels call
 * one another (`kernelFunc({inputs, backend, attrs})`, intermediates freed with disposeData):
 *
 * - dW = conv(transpose(x, [3,1,2,0]), transpose(dy, [1,2,0,3]), dilation = stride), sliced
 *   to the filter size and transposed back: batch becomes the reduction axis.
 * - dx = conv(zero-inserted dy, the filter flipped in space with in/out channels swapped).
 *
 * On wasm the filter gradient is mostly hand-written SIMD instead (wasm/filter_grad_gemm.ts, and
 * wasm/filter_grad_single_channel.ts for first layers, passed in as filterGradFast): the route
 * above is XNNPACK at its worst there.
 */

type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

interface ViaConvOptions {
  /** 1×1 convolutions as matrix products (wasm, cpu; webgpu's GEMM is slow for that shape): always, or where it returns true. */
  pointwiseGemm?: boolean | ((info: backend_util.Conv2DInfo) => boolean);
  /** A faster filter gradient tried first (wasm's hand-written SIMD); null hands the call back. */
  filterGradFast?: (backend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo) => TensorInfo | null;
  /**
   * The input gradient's filter flipped in space with in/out channels swapped, in one pass
   * (wasm: shared/flipped_filter.ts over data on the CPU); default: Reverse and Transpose kernels.
   */
  flipFilter?: (backend: KernelBackend, filter: TensorInfo) => TensorInfo;
}

/** Whether a 1×1 layer's gradient runs as a matrix product (opts.pointwiseGemm). */
function asProduct(opts: ViaConvOptions, info: backend_util.Conv2DInfo): boolean {
  return typeof opts.pointwiseGemm === 'function' ? opts.pointwiseGemm(info) : opts.pointwiseGemm === true;
}

/** Runs `kernel` on NHWC data; NCHW goes to tfjs's own kernel where there is one. */
export function nhwcOnly(kernelName: string, backendName: string, fallback: KernelFunc | undefined, kernel: KernelFunc): KernelFunc {
  return (args) => {
    const format = backend_util.convertConv2DDataFormat((args.attrs as { dataFormat: 'NHWC' | 'NCHW' }).dataFormat);
    if (format === 'channelsLast') return kernel(args);
    if (fallback) return fallback(args);
    throw new Error(`convnets ${backendName} ${kernelName} supports dataFormat 'NHWC' only`);
  };
}

/** Conv2DBackpropFilter: inputs {x, dy}; attrs {strides, pad, dataFormat, dimRoundingMode, filterShape}. */
export function conv2DBackpropFilterViaConv(backendName: string, fallback?: KernelFunc, opts: ViaConvOptions = {}): KernelFunc {
  return nhwcOnly('Conv2DBackpropFilter', backendName, fallback, ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const dy = inputs.dy as TensorInfo;
    const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const info = nhwcConv2DInfo(x.shape, a.filterShape, a);
    const fast = opts.filterGradFast?.(backend as KernelBackend, x, dy, info);
    if (fast) return fast;
    const runner = kernelRunner(backend as KernelBackend, backendName);
    if (isPointwise(info) && asProduct(opts, info)) return pointwiseFilterGrad(runner, x, dy, info);
    const { run, free } = runner;
    const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outChannels: o, outHeight: oh, outWidth: ow } = info;
    const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    // Rows/columns of the (padded) input that any window reads.
    const needH = (oh - 1) * sh + fh;
    const needW = (ow - 1) * sw + fw;
    const usedH = Math.min(h, needH - top);
    const usedW = Math.min(w, needW - left);
    if (usedH <= 0 || usedW <= 0 || oh <= 0 || ow <= 0) {
      return run('Fill', {}, { shape: [fh, fw, c, o], value: 0, dtype: 'float32' });
    }
    const temps: TensorInfo[] = [];
    let xs = x;
    if (usedH < h || usedW < w) {
      xs = run('Slice', { x }, { begin: [0, 0, 0, 0], size: [n, usedH, usedW, c] });
      temps.push(xs);
    }
    const xt = run('Transpose', { x: xs }, { perm: [3, 1, 2, 0] }); // [c, usedH, usedW, n]
    const dyt = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [oh, ow, n, o]
    temps.push(xt, dyt);
    const pad: Pad4 = [[0, 0], [top, needH - top - usedH], [left, needW - left - usedW], [0, 0]];
    const conv = run('Conv2D', { x: xt, filter: dyt }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [sh, sw] }); // [c, fh, fw, o]
    temps.push(conv);
    const out = run('Transpose', { x: conv }, { perm: [1, 2, 0, 3] });
    free(...temps);
    return out;
  });
}

/** Conv2DBackpropInput: inputs {dy, filter}; attrs {strides, pad, dataFormat, dimRoundingMode, inputShape}. */
export function conv2DBackpropInputViaConv(backendName: string, fallback?: KernelFunc, opts: ViaConvOptions = {}): KernelFunc {
  return nhwcOnly('Conv2DBackpropInput', backendName, fallback, ({ inputs, backend, attrs }) => {
    const dy = inputs.dy as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = nhwcConv2DInfo(a.inputShape, filter.shape, a);
    const runner = kernelRunner(backend as KernelBackend, backendName);
    if (isPointwise(info) && asProduct(opts, info)) return pointwiseInputGrad(runner, dy, filter, info);
    const { run, free } = runner;
    const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outChannels: o, outHeight: oh, outWidth: ow } = info;
    const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
    const temps: TensorInfo[] = [];
    // Zero-insert dy: [n, oh, ow, o] -> [n, oh*sh, ow*sw, o] (sh-1 zero rows after each row).
    let dz = dy;
    if (sh > 1 || sw > 1) {
      const r = run('Reshape', { x: dy }, { shape: [n, oh, 1, ow, 1, o] });
      const p = run('PadV2', { x: r }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
      dz = run('Reshape', { x: p }, { shape: [n, oh * sh, ow * sw, o] });
      temps.push(r, p, dz);
    }
    // dx = full correlation of dz with the flipped filter: pad top by fh-1-padTop, and so on.
    const rowsHave = oh * sh; // zero-inserted rows, incl. sh-1 trailing zeros
    const colsHave = ow * sw;
    let padTop = fh - 1 - info.padInfo.top;
    let padLeft = fw - 1 - info.padInfo.left;
    let padBottom = h + fh - 1 - padTop - rowsHave;
    let padRight = w + fw - 1 - padLeft - colsHave;
    // Negative pads (padding wider than the kernel): crop dz instead.
    const cropTop = Math.max(0, -padTop);
    const cropLeft = Math.max(0, -padLeft);
    const cropBottom = Math.max(0, -padBottom);
    const cropRight = Math.max(0, -padRight);
    padTop = Math.max(0, padTop);
    padLeft = Math.max(0, padLeft);
    padBottom = Math.max(0, padBottom);
    padRight = Math.max(0, padRight);
    if (cropTop || cropLeft || cropBottom || cropRight) {
      const size = [n, rowsHave - cropTop - cropBottom, colsHave - cropLeft - cropRight, o];
      if (size[1]! <= 0 || size[2]! <= 0) {
        free(...temps);
        return run('Fill', {}, { shape: [n, h, w, c], value: 0, dtype: 'float32' });
      }
      const s = run('Slice', { x: dz }, { begin: [0, cropTop, cropLeft, 0], size });
      temps.push(s);
      dz = s;
    }
    let wt: TensorInfo; // [fh, fw, o, c]
    if (opts.flipFilter) {
      wt = opts.flipFilter(backend as KernelBackend, filter);
    } else {
      const flipped = run('Reverse', { x: filter }, { dims: [0, 1] });
      wt = run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
      temps.push(flipped);
    }
    temps.push(wt);
    const pad: Pad4 = [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]];
    const out = run('Conv2D', { x: dz, filter: wt }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1] });
    free(...temps);
    return out;
  });
}
