import type { backend_util, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import * as FILTER_GRAD_GEMM from './filter_grad_gemm_wasm.js';
import { asWasmBackend, wasmExports } from './instance.js';
import { splitWork } from './split_work.js';

interface FilterGradGemm {
  atb(...args: number[]): void;
  addTotals(dst: number, src: number, count: number): void;
  transposeOut(totals: number, out: number, m: number, n: number): void;
}

/** Bytes of dy's packed block kept in cache while every panel of patches passes over it. */
const A_BLOCK_BYTES = 1 << 20;
const MAX_KB = 1024;
/** Rows whose float32 products are summed before they join the float64 totals. */
const FOLD_ROWS = 4096;
/**
 * Where the forward-convolution route is as fast or faster, measured at LeNet's, VGG's,
 * AlexNet's, NiN's and GoogLeNet's layers: few rows leave the per-call work (C's tiles, the
 * final transpose) unpaid; fewer than 8 output channels fill too little of each 4×8 tile; and
 * patches that are not whole vectors (channels neither a multiple of 8 nor at most 4) pack
 * lane by lane, which only 16 or more output channels repay (LeNet's second layer, 6 → 16:
 * 4.4 → 2.9 ms at batch 256, 1.7 → 1.5 ms at 128).
 */
export function filterGradGemmPays(info: backend_util.Conv2DInfo): boolean {
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const c = info.inChannels;
  const m = info.outChannels;
  return rows >= 1024 && m >= 8 && (c % 8 === 0 || c <= 4 || m >= 16);
}


/**
 * Conv2DBackpropFilter on wasm as one matrix product, dW = patches(x)ᵀ·dy over the
 * batch·height·width rows, by wasm/filter_grad_gemm.wat: the patches are packed a block of
 * rows at a time, never stored whole, and the products of each block are summed in float64.
 * The rows are split between this thread and helper workers (Node, threaded tfjs-wasm), so
 * the loop uses the cores XNNPACK does. The forward-convolution route it replaces runs the
 * batch as XNNPACK's reduction axis: 1-13 GFLOP/s for first layers and thin VGG layers,
 * packing a new dy every step.
 *
 * Returns null off wasm, where the memory cannot be reached, for dilated filters, and where
 * the forward-convolution route is as fast (filterGradGemmPays).
 */
export function filterGradGemm(anyBackend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo | null {
  const backend = asWasmBackend(anyBackend);
  const kernel = backend && wasmExports<FilterGradGemm>(backend, FILTER_GRAD_GEMM);
  if (!backend || !kernel || x.dtype !== 'float32' || dy.dtype !== 'float32' || info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outChannels: m, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const n = fh * fw * c;
  const rows = batchSize * oh * ow;
  if (!filterGradGemmPays(info) || n === 0) return null;
  const mPadded = Math.ceil(m / 4) * 4;
  const nPadded = Math.ceil(n / 8) * 8;
  const kb = Math.max(16, Math.min(MAX_KB, Math.floor(A_BLOCK_BYTES / (mPadded * 4))));

  const split = splitWork(backend, FILTER_GRAD_GEMM, 'atb', rows, rows * m * n, Math.floor(rows / 64));

  const out = backend.makeOutput([fh, fw, c, m], 'float32');
  const scratch = Array.from({ length: split.parts }, () => ({
    packedA: backend.makeOutput([mPadded * kb], 'float32'),
    packedB: backend.makeOutput([nPadded * kb], 'float32'),
    block: backend.makeOutput([mPadded * nPadded], 'float32'),
    totals: backend.makeOutput([2 * m * n], 'float32'), // float64 [m, n]
  }));
  const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
  const free = () => {
    for (const s of scratch) for (const t of Object.values(s)) backend.disposeData(t.dataId);
  };
  if (scratch.some((s) => at(s.totals) % 8 !== 0)) {
    // float64 totals need 8-byte alignment; tfjs-wasm's malloc gives 16 today
    free();
    backend.disposeData(out.dataId);
    return null;
  }
  const callArgs = scratch.map((s, t) => {
    const [k0, k1] = split.range(t);
    return [at(dy), m, at(x), h, w, c, oh, ow, fh, fw, sh, sw, padInfo.top, padInfo.left, k0, k1, kb, Math.max(kb, FOLD_ROWS), at(s.packedA), at(s.packedB), at(s.block), at(s.totals)];
  });
  split.run(kernel.atb, callArgs);

  const [first, ...others] = scratch.map((s) => at(s.totals));
  for (const other of others) kernel.addTotals(first!, other, m * n);
  kernel.transposeOut(first!, at(out), m, n);
  free();
  return out;
}
