import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelBuffers } from './kernel_buffers.js';

/**
 * MaxPoolGrad that routes each output's gradient to the first maximum of its window (row-major),
 * as PyTorch's max_pool2d backward does. tfjs-backend-wasm 4.22's own kernel is wrong whenever a
 * window's maximum is negative (it routes the gradient elsewhere), e.g. GoogLeNet's b2.
 */
export const maxPoolGradFirstMax: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as KernelBackend;
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const a = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const out = kernelBuffers(backend, input.shape);
  const dx = out.values;
  const x = out.read(input);
  const g = out.read(dy);
  // Channels innermost, as the data lies: each window cell is read once for all channels.
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - top;
      const yBegin = Math.max(0, y0);
      const yEnd = Math.min(h, y0 + fh);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - left;
        const xBegin = Math.max(0, x0);
        const xEnd = Math.min(w, x0 + fw);
        at.fill(-1);
        for (let ky = yBegin; ky < yEnd; ky++) {
          for (let kx = xBegin; kx < xEnd; kx++) {
            const base = ((b * h + ky) * w + kx) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[base + ch]!;
              const m = best[ch]!;
              // The first maximum in row-major order wins; a NaN wins over numbers and stays.
              if (at[ch]! < 0 || v > m || (v !== v && m === m)) {
                best[ch] = v;
                at[ch] = base + ch;
              }
            }
          }
        }
        const gAt = ((b * oh + oy) * ow + ox) * c;
        for (let ch = 0; ch < c; ch++) if (at[ch]! >= 0) dx[at[ch]!]! += g[gAt + ch]!;
      }
    }
  }
  return out.info();
};
