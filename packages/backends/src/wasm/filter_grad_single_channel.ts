import type { backend_util, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import * as FILTER_GRAD_SINGLE_CHANNEL from './filter_grad_single_channel_wasm.js';
import { asWasmBackend, wasmExports } from './instance.js';
import { splitWork } from './split_work.js';

type Kernel = (...args: number[]) => void;

/** The kernel reads a dy pixel's channels 8 at a time: up to 7 floats past dy's last one. */
const OVERREAD_BYTES = 28;

/**
 * Where this loop beats both other wasm routes (patches·dy in filter_grad_gemm.ts, and the
 * forward convolution): a first layer with one input channel and at most 8 output channels,
 * whose patches would be packed a lane at a time for a product with few columns. LeNet's first
 * layer (5×5, 6 channels, batch 256) took 20 ms a step either way.
 */
export function filterGradSingleChannelPays(info: backend_util.Conv2DInfo): boolean {
  return info.inChannels === 1 && info.outChannels <= 8 && info.dilationHeight === 1 && info.dilationWidth === 1;
}

/**
 * Conv2DBackpropFilter on wasm for one input channel, by wasm/filter_grad_single_channel.wat:
 * each x value times a whole dy pixel (8 channels in two SIMD vectors), summed per image in
 * float32 and over images in float64. Images are split between this thread and helper workers
 * (Node, threaded tfjs-wasm). Returns null where it does not apply (see
 * filterGradSingleChannelPays; not wasm; memory not reachable).
 */
export function filterGradSingleChannel(anyBackend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo | null {
  const backend = asWasmBackend(anyBackend);
  const kernel = backend && wasmExports<{ filterGradSingleChannel: Kernel }>(backend, FILTER_GRAD_SINGLE_CHANNEL)?.filterGradSingleChannel;
  if (!backend || !kernel || x.dtype !== 'float32' || dy.dtype !== 'float32' || !filterGradSingleChannelPays(info)) return null;
  const { batchSize, inHeight: h, inWidth: w, outChannels: m, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
  if (!memory || at(dy) + 4 * batchSize * oh * ow * m + OVERREAD_BYTES > memory.buffer.byteLength) return null;

  const n = fh * fw * 8;
  const wp = (ow - 1) * sw + fw;
  const split = splitWork(backend, FILTER_GRAD_SINGLE_CHANNEL, 'filterGradSingleChannel', batchSize, batchSize * oh * ow * fh * fw * n, batchSize);

  const scratch = Array.from({ length: split.parts }, () => ({
    img: backend.makeOutput([h * wp], 'float32'),
    part: backend.makeOutput([n], 'float32'),
    totals: backend.makeOutput([2 * n], 'float32'), // float64 [fh, fw, 8]
  }));
  const free = () => {
    for (const s of scratch) for (const t of Object.values(s)) backend.disposeData(t.dataId);
  };
  if (scratch.some((s) => at(s.totals) % 8 !== 0)) {
    free(); // float64 totals need 8-byte alignment; tfjs-wasm's malloc gives 16 today
    return null;
  }
  const callArgs = scratch.map((s, t) => [
    at(x), at(dy), h, w, oh, ow, m, fh, fw, sh, sw, padInfo.top, padInfo.left,
    ...split.range(t), at(s.img), wp, at(s.part), at(s.totals),
  ]);
  split.run(kernel, callArgs);

  const out = backend.makeOutput([fh, fw, 1, m], 'float32');
  const dw = backend.typedArrayFromHeap(out);
  const totals = scratch.map((s) => new Float64Array(memory.buffer, at(s.totals), n));
  for (let k = 0; k < fh * fw; k++) {
    for (let j = 0; j < m; j++) {
      let sum = 0;
      for (const t of totals) sum += t[k * 8 + j]!;
      dw[k * m + j] = sum;
    }
  }
  free();
  return out;
}

