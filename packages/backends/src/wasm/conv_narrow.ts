import type { backend_util, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import * as CONV_NARROW from './conv_narrow_wasm.js';
import { asWasmBackend, wasmExports } from './instance.js';
import { splitWork } from './split_work.js';

type Kernel = (...args: number[]) => void;

/**
 * Where this loop beats XNNPACK and convGemm, measured at batch 256 (LeNet) and 8 (VGG-11/8's
 * 224 px): a first layer, gray or RGB, of at most 8 output channels, too few for either to fill
 * its tiles. LeNet's 1 → 6, 5×5: 3.4 → 1.8 ms; VGG-11/8's 1 → 8, 3×3: 4.7 → 3.4 ms; the same
 * from 3 channels: 8 → 5.8 and 6.5 → 5.9 ms. From 4 channels on, XNNPACK is as fast (4 → 8 at
 * 224 px, 8 → 8, 16 → 8 at 112 px) or faster (16 → 6 at batch 256: 5.6 vs 6.2 ms).
 */
export function convNarrowPays(info: backend_util.Conv2DInfo): boolean {
  const { inChannels: c, outChannels: o } = info;
  return c <= 3 && o <= 8 && info.dilationHeight === 1 && info.dilationWidth === 1;
}

/**
 * Conv2D / FusedConv2D (bias, ReLU) on wasm with few output channels, by wasm/conv_narrow.wat:
 * all output channels of a pixel in two SIMD vectors, 4 pixels at a time, images split between
 * this thread and helper workers (Node, threaded tfjs-wasm). Returns null where it does not
 * apply (see convNarrowPays; not wasm; memory not reachable).
 */
export function convNarrow(
  anyBackend: KernelBackend, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, relu: boolean, info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const backend = asWasmBackend(anyBackend);
  const kernel = backend && wasmExports<{ convNarrow: Kernel }>(backend, CONV_NARROW)?.convNarrow;
  if (!backend || !kernel || x.dtype !== 'float32' || filter.dtype !== 'float32' || !convNarrowPays(info)) return null;
  if (bias && (bias.dtype !== 'float32' || bias.shape.length !== 1 || bias.shape[0] !== info.outChannels)) return null;
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outChannels: m, outHeight: oh, outWidth: ow } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const wp = (ow - 1) * sw + fw;
  const rows = fh * fw * c;
  const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);

  // W as [fh, fw, c, 8] and the bias as [8], zeros past m: every filter row is two whole vectors.
  const packed = backend.makeOutput([rows * 8 + 8], 'float32');
  const p = backend.typedArrayFromHeap(packed);
  const wv = backend.typedArrayFromHeap(filter);
  p.fill(0);
  for (let r = 0; r < rows; r++) for (let j = 0; j < m; j++) p[r * 8 + j] = wv[r * m + j]!;
  if (bias) p.set(backend.typedArrayFromHeap(bias).subarray(0, m), rows * 8);

  const split = splitWork(backend, CONV_NARROW, 'convNarrow', batchSize, batchSize * oh * ow * rows * m, batchSize);
  const out = backend.makeOutput([batchSize, oh, ow, m], 'float32');
  const images = Array.from({ length: split.parts }, () => backend.makeOutput([h * wp * c], 'float32'));
  const callArgs = images.map((img, t) => [
    at(x), h, w, c, oh, ow, m, fh, fw, sh, sw, padInfo.top, padInfo.left, ...split.range(t),
    at(packed), at(packed) + 4 * rows * 8, relu ? 1 : 0, at(out), at(img), wp,
  ]);
  split.run(kernel, callArgs);
  backend.disposeData(packed.dataId);
  for (const img of images) backend.disposeData(img.dataId);
  return out;
}
