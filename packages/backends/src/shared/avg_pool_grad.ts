import type { AvgPoolGradAttrs, KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { kernelBuffers } from './kernel_buffers.js';

/** The shape of a pooling whose windows tile the input (stride = window, no padding). */
export interface TiledPool { n: number; h: number; w: number; c: number; oh: number; ow: number; fh: number; fw: number; scale: number }

/** A faster loop for tiled windows into dx (zeroed where the windows leave cells out): false where it does not apply. */
export type AvgPoolGradTiled = (backend: KernelBackend, dy: TensorInfo, dx: TensorInfo, s: TiledPool) => boolean;

/**
 * AvgPoolGrad as one pass over dy: each window hands dy / (fh·fw) to the inputs it covers, the
 * divisor tfjs's own kernels use. tfjs-backend-wasm 4.22's kernel took a sixth of a LeNet step,
 * tfjs cpu's 235 ms of a LeNet batch's 2x2 pooling. `tiledFast`: wasm's loop for tiled windows.
 */
export const avgPoolGradWith = (tiledFast?: AvgPoolGradTiled): KernelFunc => ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as KernelBackend;
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const a = attrs as unknown as AvgPoolGradAttrs;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const { filterHeight: fh, filterWidth: fw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const scale = 1 / (fh * fw);
  const isTiled = sh === fh && sw === fw && top === 0 && left === 0;
  const out = kernelBuffers(backend, input.shape, !(isTiled && oh * fh === h && ow * fw === w));
  const dx = out.values;
  if (isTiled) {
    const shape = { n, h, w, c, oh, ow, fh, fw, scale };
    if (!tiledFast?.(backend, dy, out.info(), shape)) tiled(out.read(dy), dx, shape);
    return out.info();
  }
  const g = out.read(dy);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - top;
      const y1 = Math.min(h, y0 + fh);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - left;
        const x1 = Math.min(w, x0 + fw);
        const gAt = ((b * oh + oy) * ow + ox) * c;
        for (let y = Math.max(0, y0); y < y1; y++) {
          for (let x = Math.max(0, x0); x < x1; x++) {
            const at = ((b * h + y) * w + x) * c;
            for (let ch = 0; ch < c; ch++) dx[at + ch]! += g[gAt + ch]! * scale;
          }
        }
      }
    }
  }
  return out.info();
};

/** AvgPoolGrad in JS on cpu and where no faster loop applies. */
export const avgPoolGrad = avgPoolGradWith();

/** Windows that tile the input (stride = size, no padding): write one row, copy it down. */
function tiled(g: Float32Array, dx: Float32Array, s: TiledPool): void {
  const { n, h, w, c, oh, ow, fh, fw, scale } = s;
  const rowLength = ow * fw * c;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const gRow = (b * oh + oy) * ow * c;
      const first = (b * h + oy * fh) * w * c;
      for (let ox = 0; ox < ow; ox++) {
        const gi = gRow + ox * c;
        const at = first + ox * fw * c;
        for (let kx = 0; kx < fw; kx++) {
          const o = at + kx * c;
          for (let ch = 0; ch < c; ch++) dx[o + ch] = g[gi + ch]! * scale;
        }
      }
      for (let ky = 1; ky < fh; ky++) dx.copyWithin(first + ky * w * c, first, first + rowLength);
    }
  }
}
