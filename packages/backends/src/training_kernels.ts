import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { avgPoolGrad } from './shared/avg_pool_grad.js';
import { batchMatMulUntransposed, fusedMatMulUnpacked } from './wasm/batch_mat_mul_untransposed.js';
import { conv2dGemm, fusedConv2dGemm } from './wasm/conv_gemm.js';
import { nhwcConv2DInfo } from './shared/conv2d_info.js';
import { filterGradGemm } from './wasm/filter_grad_gemm.js';
import { filterGradSingleChannel } from './wasm/filter_grad_single_channel.js';
import { flippedFilter } from './shared/flipped_filter.js';
import { identityShared } from './wasm/identity_shared.js';
import { kernelRunner } from './shared/kernel_runner.js';
import { maxPoolGradFirstMax } from './shared/max_pool_grad_first_max.js';
import { batchMatMulJs, fusedMatMulJs } from './cpu/js_batch_mat_mul.js';
import { conv2dBackpropFilterJs, conv2dBackpropInputJs, conv2dJs, fusedConv2dJs } from './cpu/js_conv2d.js';
import { isPointwise, pointwiseFilterGrad, pointwiseInputGrad } from './shared/pointwise_conv_grads.js';
import { splitVRows } from './wasm/split_v_rows.js';
import { sumLeadingAxes } from './shared/sum_leading_axes.js';

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
 * On wasm the filter gradient is mostly hand-written SIMD instead (filter_grad_gemm.ts, and
 * filter_grad_single_channel.ts for first layers): the route above is XNNPACK at its worst there.
 */

type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

interface ViaConvOptions {
  /** 1×1 convolutions as matrix products (wasm, cpu; webgpu's GEMM is slow for that shape). */
  pointwiseGemm?: boolean;
  /** The filter gradient in hand-written SIMD (wasm): a first layer's by its own loop, others as one patches·dy product. */
  filterGradSimd?: boolean;
  /** The input gradient's flipped filter in one JS pass over the data (wasm, cpu: data on the CPU). */
  flipOnCpu?: boolean;
}

/** Runs `kernel` on NHWC data; NCHW goes to tfjs's own kernel where there is one. */
function nhwcOnly(kernelName: string, backendName: string, fallback: KernelFunc | undefined, kernel: KernelFunc): KernelFunc {
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
    const bySimd = opts.filterGradSimd
      ? (filterGradSingleChannel(backend as KernelBackend, x, dy, info) ?? filterGradGemm(backend as KernelBackend, x, dy, info))
      : null;
    if (bySimd) return bySimd;
    const runner = kernelRunner(backend as KernelBackend, backendName);
    if (opts.pointwiseGemm && isPointwise(info)) return pointwiseFilterGrad(runner, x, dy, info);
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
    if (opts.pointwiseGemm && isPointwise(info)) return pointwiseInputGrad(runner, dy, filter, info);
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
    if (opts.flipOnCpu) {
      wt = flippedFilter(backend as KernelBackend, filter);
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

const registered = new Set<string>();
const stock = new Map<string, KernelFunc>();

type Factory = (backendName: string, fallback?: KernelFunc) => KernelFunc;

// What cpu and wasm share: single-pass pooling gradients (tfjs cpu's loop over every window per
// input cell: 1.1 s for VGG-11/8's first pool at batch 8, against ~45 ms here), Sum over
// leading axes.
const CPU_LIKE: Record<string, Factory> = {
  MaxPoolGrad: () => maxPoolGradFirstMax,
  AvgPoolGrad: () => avgPoolGrad,
  Sum: (_, stock) => sumLeadingAxes(stock!),
};

const FACTORIES: Record<string, Record<string, Factory>> = {
  // tfjs cpu's convolution and matrix-product loops run 0.2-0.5 GFLOP/s: js_gemm's tiles instead.
  cpu: {
    ...CPU_LIKE,
    BatchMatMul: (_, stock) => batchMatMulJs(stock!),
    _FusedMatMul: (_, stock) => fusedMatMulJs(stock!),
    Conv2D: (b, stock) => nhwcOnly('Conv2D', b, stock, conv2dJs),
    FusedConv2D: (b, stock) => nhwcOnly('FusedConv2D', b, stock, fusedConv2dJs(stock!)),
    Conv2DBackpropFilter: (b, stock) => nhwcOnly('Conv2DBackpropFilter', b, stock, conv2dBackpropFilterJs),
    Conv2DBackpropInput: (b, stock) => nhwcOnly('Conv2DBackpropInput', b, stock, conv2dBackpropInputJs),
  },
  // Convolution gradients as XNNPACK forward convolutions (1×1 ones as GEMMs), the filter
  // gradient mostly as one hand-written SIMD product.
  wasm: {
    ...CPU_LIKE,
    Conv2DBackpropFilter: (b, stock) => conv2DBackpropFilterViaConv(b, stock, { pointwiseGemm: true, filterGradSimd: true }),
    Conv2DBackpropInput: (b, stock) => conv2DBackpropInputViaConv(b, stock, { pointwiseGemm: true, flipOnCpu: true }),
    Conv2D: (b, stock) => nhwcOnly('Conv2D', b, stock, conv2dGemm(stock!)),
    FusedConv2D: (b, stock) => nhwcOnly('FusedConv2D', b, stock, fusedConv2dGemm(stock!)),
    BatchMatMul: (backendName, stock) => batchMatMulUntransposed(backendName, stock!),
    _FusedMatMul: (backendName, stock) => fusedMatMulUnpacked(backendName, stock!),
    Identity: () => identityShared,
    SplitV: (_, stock) => splitVRows(stock!),
  },
  // tfjs-webgpu's filter gradient is one thread per weight looping over batch x height x width:
  // a first layer (few weights, large images) runs on a handful of GPU threads.
  webgpu: { Conv2DBackpropFilter: conv2DBackpropFilterViaConv },
};

/** The kernels registerTrainingKernels replaces or adds on a backend. */
export function trainingKernelNames(backendName: string): string[] {
  return Object.keys(FACTORIES[backendName] ?? {});
}

/** The kernel tfjs shipped before registerTrainingKernels replaced it (undefined: none). */
export function stockKernel(kernelName: string, backendName: string): KernelFunc | undefined {
  if (registered.has(backendName)) return stock.get(`${backendName}/${kernelName}`);
  return tf.getKernel(kernelName, backendName)?.kernelFunc;
}

/**
 * Registers the training kernels for `wasm` and `cpu` (or the given backends): convolution
 * gradients built from the backend's forward convolution, replacing cpu's slow loops and
 * adding wasm's missing Conv2DBackpropFilter. Idempotent. Backends whose package is not
 * loaded yet are skipped (call again after loading; useBackend does). Returns the backends
 * that now have them.
 */
export function registerTrainingKernels(backends: readonly string[] = ['wasm', 'cpu']): string[] {
  const done: string[] = [];
  for (const backendName of backends) {
    const factories = FACTORIES[backendName];
    if (!factories) continue;
    if (!registered.has(backendName)) {
      if (!tf.getKernel('Conv2D', backendName)) continue;
      for (const [kernelName, make] of Object.entries(factories)) {
        const previous = tf.getKernel(kernelName, backendName);
        if (previous) {
          stock.set(`${backendName}/${kernelName}`, previous.kernelFunc);
          tf.unregisterKernel(kernelName, backendName);
        }
        // setupFunc binds the stock kernel's wasm function when the backend starts; a wrapper
        // that calls the stock kernel needs it kept.
        tf.registerKernel({ kernelName, backendName, kernelFunc: make(backendName, previous?.kernelFunc), setupFunc: previous?.setupFunc });
      }
      registered.add(backendName);
    }
    done.push(backendName);
  }
  return done;
}
