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
  const { dy, input, output } = inputs as { dy: TensorInfo; input: TensorInfo; output?: TensorInfo };
  const a = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const out = kernelBuffers(backend, input.shape);
  const dx = out.values;
  const x = out.read(input);
  const g = out.read(dy);
  // Without NaNs the forward output is each window's maximum, so the first cell equal to it is
  // the first maximum: a scan that mostly stops early, on a branch that is mostly not taken
  // (~1.7x faster than tracking a running maximum). An input with a NaN (which wins, and which
  // neither backend's max pool propagates), no `output`, or a window with no cell equal to its
  // output is scanned in full.
  const y = output && !containsNaN(x) ? out.read(output) : undefined;
  const cells = new Int32Array(fh * fw);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - top;
      const yBegin = Math.max(0, y0);
      const yEnd = Math.min(h, y0 + fh);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - left;
        const xBegin = Math.max(0, x0);
        const xEnd = Math.min(w, x0 + fw);
        let k = 0;
        for (let ky = yBegin; ky < yEnd; ky++) for (let kx = xBegin; kx < xEnd; kx++) cells[k++] = ((b * h + ky) * w + kx) * c;
        if (k === 0) continue;
        const gAt = ((b * oh + oy) * ow + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          let at = -1;
          if (y) {
            const max = y[gAt + ch]!;
            for (let t = 0; t < k; t++) {
              const v = x[cells[t]! + ch]!;
              if (v === max) {
                at = cells[t]! + ch;
                break;
              }
            }
          }
          if (at < 0) at = firstMax(x, cells, k, ch);
          dx[at] = dx[at]! + g[gAt + ch]!;
        }
      }
    }
  }
  return out.info();
};

/** The first maximum of a window's cells in row-major order; a NaN wins over numbers and stays. */
function firstMax(x: Float32Array, cells: Int32Array, k: number, ch: number): number {
  let at = cells[0]! + ch;
  let best = x[at]!;
  for (let t = 1; t < k; t++) {
    const i = cells[t]! + ch;
    const v = x[i]!;
    if (v > best || (v !== v && best === best)) {
      best = v;
      at = i;
    }
  }
  return at;
}

function containsNaN(x: Float32Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== x[i]) return true;
  return false;
}
