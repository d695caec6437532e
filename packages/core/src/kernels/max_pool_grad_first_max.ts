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
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - top;
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - left;
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let ky = Math.max(0, y0); ky < Math.min(h, y0 + fh); ky++) {
            for (let kx = Math.max(0, x0); kx < Math.min(w, x0 + fw); kx++) {
              const i = ((b * h + ky) * w + kx) * c + ch;
              const v = x[i];
              if (v > best || Number.isNaN(v) || at < 0) {
                best = v;
                at = i;
                if (Number.isNaN(v)) break;
              }
            }
          }
          if (at >= 0) dx[at] += g[((b * oh + oy) * ow + ox) * c + ch];
        }
      }
    }
  }
  return out.info();
};
