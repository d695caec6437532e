import type { backend_util, Conv2DAttrs, FusedConv2DAttrs, KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { nhwcConv2DInfo } from '../shared/conv2d_info.js';
import { kernelRunner } from '../shared/kernel_runner.js';
import { convNarrow } from './conv_narrow.js';
import * as CONV_GEMM from './conv_gemm_wasm.js';
import { asWasmBackend, wasmExports } from './instance.js';
import { splitWork } from './split_work.js';

interface ConvGemm {
  packW(w: number, n: number, o: number, dst: number): void;
  conv(...args: number[]): void;
}

/** Patch values per chunk: a 4-pixel panel's chunk (16·KC bytes) and a W panel's (32·KC) stay in L1. */
const KC = 256;
/** Output pixels a block: its patch panels (16 × 16·KC bytes) stay in L2. */
const BLOCK_ROWS = 64;
/** Fewest output pixels a thread takes: small maps (GoogLeNet's last blocks) still use two. */
const MIN_THREAD_ROWS = 32;

export type ConvGemmActivation = 'linear' | 'relu';

/**
 * Where XNNPACK's own convolution is slower, measured forward at batch 32 at the five networks'
 * layers: each packed patch value serves o / 8 tiles, so few output channels leave the packing
 * unpaid (VGG-11/8's first layers, 1 → 8 and 8 → 16: 48 → 72 and 32 → 35 ms), except where
 * XNNPACK is itself slow, on channels that are not whole vectors (LeNet's 6 → 16 at batch 256:
 * 1.24 → 0.55 ms). Winners: AlexNet's first layer 85 → 68 ms, NiN's 5×5 361 → 260 ms. It pays
 * down to 64 output pixels: GoogLeNet's 3×3 layer on 3×3 maps at batch 8 (72 pixels), 2.0 → 1.4 ms
 * forward and, as the input gradient's convolution, 7.0 → 3.1 ms.
 */
export function convGemmPays(info: backend_util.Conv2DInfo): boolean {
  const { inChannels: c, outChannels: o } = info;
  const wide = o >= 64 || (o >= 32 && c >= 32) || (c % 4 !== 0 && o >= 16);
  return wide && info.batchSize * info.outHeight * info.outWidth >= 64;
}

/**
 * Conv2D / FusedConv2D (bias, ReLU) on wasm as one patches·W matrix product, by
 * wasm/conv_gemm.wat: the patches are packed 64 output pixels at a time, never stored whole,
 * and multiplied in 4×8 register tiles, the output pixels split between this thread and helper
 * workers (Node, threaded tfjs-wasm).
 *
 * Returns null off wasm, where the memory cannot be reached, for dilated filters, and where
 * XNNPACK's convolution is as fast (convGemmPays).
 */
export function convGemm(
  anyBackend: KernelBackend, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, activation: ConvGemmActivation, info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const backend = asWasmBackend(anyBackend);
  const kernel = backend && wasmExports<ConvGemm>(backend, CONV_GEMM);
  if (!backend || !kernel || x.dtype !== 'float32' || filter.dtype !== 'float32' || info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  if (bias && (bias.dtype !== 'float32' || bias.shape.length !== 1 || bias.shape[0] !== info.outChannels)) return null;
  if (!convGemmPays(info)) return null;
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outChannels: o, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const n = fh * fw * c;
  const rows = batchSize * oh * ow;
  const oPadded = Math.ceil(o / 8) * 8;
  const positionsPerChunk = Math.max(1, Math.floor(KC / c));

  const split = splitWork(backend, CONV_GEMM, 'conv', rows, rows * o * n, Math.floor(rows / MIN_THREAD_ROWS));

  const out = backend.makeOutput([batchSize, oh, ow, o], 'float32');
  const packedW = backend.makeOutput([oPadded * n], 'float32');
  const scratch = Array.from({ length: split.parts }, () => ({
    packedA: backend.makeOutput([(BLOCK_ROWS / 4) * positionsPerChunk * c * 4], 'float32'),
    block: backend.makeOutput([BLOCK_ROWS * oPadded], 'float32'),
  }));
  const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
  kernel.packW(at(filter), n, o, at(packedW));
  const callArgs = scratch.map((s, t) => {
    const [r0, r1] = split.range(t);
    return [at(x), h, w, c, oh, ow, fh, fw, sh, sw, padInfo.top, padInfo.left, r0, r1, at(packedW), o, positionsPerChunk,
      bias ? at(bias) : 0, bias ? 1 : 0, activation === 'relu' ? 1 : 0, at(out), at(s.packedA), at(s.block)];
  });
  split.run(kernel.conv, callArgs);
  backend.disposeData(packedW.dataId);
  for (const s of scratch) for (const t of Object.values(s)) backend.disposeData(t.dataId);
  return out;
}

/** A layer of few output channels by convNarrow, a wide one by convGemm; null where XNNPACK is as fast. */
function convOwn(backend: KernelBackend, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, activation: ConvGemmActivation, info: backend_util.Conv2DInfo) {
  return convNarrow(backend, x, filter, bias, activation === 'relu', info) ?? convGemm(backend, x, filter, bias, activation, info);
}

/** Conv2D on wasm by convOwn where it pays, else by `stock` (XNNPACK). NHWC only. */
export function conv2dGemm(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const a = args.attrs as unknown as Conv2DAttrs;
    return convOwn(args.backend as KernelBackend, x, filter, undefined, 'linear', nhwcConv2DInfo(x.shape, filter.shape, a, a.dilations)) ?? (stock(args) as TensorInfo);
  };
}

/**
 * FusedConv2D with a per-channel bias and linear or ReLU activation by convOwn where it pays; a
 * sigmoid layer of few output channels by convNarrow and then the backend's Sigmoid (LeNet's
 * first layer at batch 256: 4.1 → 3.2 ms; wider sigmoid layers stay with XNNPACK, which was
 * faster than convGemm plus Sigmoid on LeNet's second); the rest by `stock`. NHWC only.
 */
export function fusedConv2dGemm(backendName: string, stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const a = args.attrs as unknown as FusedConv2DAttrs;
    const backend = args.backend as KernelBackend;
    if (preluActivationWeights) return stock(args);
    const info = nhwcConv2DInfo(x.shape, filter.shape, a, a.dilations);
    if (a.activation === 'linear' || a.activation === 'relu') return convOwn(backend, x, filter, bias, a.activation, info) ?? (stock(args) as TensorInfo);
    const linear = a.activation === 'sigmoid' ? convNarrow(backend, x, filter, bias, false, info) : null;
    if (!linear) return stock(args);
    const { run, free } = kernelRunner(backend, backendName);
    const y = run('Sigmoid', { x: linear });
    free(linear);
    return y;
  };
}
