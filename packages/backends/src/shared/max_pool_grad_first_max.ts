import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelBuffers } from './kernel_buffers.js';

/**
 * MaxPoolGrad that routes each output's gradient to the first maximum of its window (row-major),
 * as PyTorch's max_pool2d backward does. On wasm, given the forward output, a SIMD loop does it
 * (max_pool_grad_simd.ts: 2-4x faster than the JS below); the JS loops serve cpu, and wasm where
 * the input holds a NaN (wasm/kernels.ts passes the SIMD loop in). tfjs-backend-wasm 4.22's own kernel is wrong whenever a
 * window's maximum is negative (it routes the gradient elsewhere), e.g. GoogLeNet's b2.
 */
/** A faster path tried first (wasm's SIMD loop); false hands the call to the JS loops below. */
export type MaxPoolGradFast = (backend: KernelBackend, input: TensorInfo, output: TensorInfo, dy: TensorInfo, dx: () => TensorInfo, info: backend_util.Conv2DInfo) => boolean;

/** The kernel with `fast` tried first where the forward output is given. */
export const maxPoolGradFirstMaxWith = (fast?: MaxPoolGradFast): KernelFunc => ({ inputs, backend: anyBackend, attrs }) => {
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
  if (output && fast?.(backend, input, output, dy, out.info, info)) return out.info();
  if (output && fh === 2 && fw === 2 && sh === 2 && sw === 2 && top === 0 && left === 0 && oh * 2 <= h && ow * 2 <= w) {
    tiles2x2(x, out.read(output), g, dx, n, h, w, c, oh, ow);
    return out.info();
  }
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
        const gAt = ((b * oh + oy) * ow + ox) * c;
        let k = 0;
        for (let ky = yBegin; ky < yEnd; ky++) for (let kx = xBegin; kx < xEnd; kx++) cells[k++] = ((b * h + ky) * w + kx) * c;
        if (k === 0) continue;
        if (y) {
          for (let ch = 0; ch < c; ch++) {
            const max = y[gAt + ch]!;
            let t = 0;
            while (t < k && x[cells[t]! + ch] !== max) t++;
            const at = t < k ? cells[t]! + ch : firstMax(x, cells, k, ch);
            dx[at] = dx[at]! + g[gAt + ch]!;
          }
        } else {
          for (let ch = 0; ch < c; ch++) {
            const at = firstMax(x, cells, k, ch);
            dx[at] = dx[at]! + g[gAt + ch]!;
          }
        }
      }
    }
  }
  return out.info();
};

/** The JS loops alone: cpu's MaxPoolGrad. */
export const maxPoolGradFirstMax: KernelFunc = maxPoolGradFirstMaxWith();

/**
 * 2x2 windows with stride 2 (VGG's, LeNet's max variant) given the forward output: each input
 * cell is in at most one window, so the gradient is a store, not a sum, and the four cells are
 * read without an index table. A window with a NaN, or whose output matches none of its cells,
 * takes the full comparison (a NaN wins).
 */
function tiles2x2(x: Float32Array, y: Float32Array, g: Float32Array, dx: Float32Array, n: number, h: number, w: number, c: number, oh: number, ow: number): void {
  const row = w * c;
  let gAt = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      let i00 = (b * h + oy * 2) * row;
      for (let ox = 0; ox < ow; ox++, i00 += c) {
        for (let ch = 0; ch < c; ch++, i00++, gAt++) {
          const a = x[i00]!;
          const b1 = x[i00 + c]!;
          const c1 = x[i00 + row]!;
          const d = x[i00 + row + c]!;
          const m = y[gAt]!;
          const sum = a + b1 + c1 + d; // NaN when any cell is (or for +inf with -inf: the full comparison then)
          let at: number;
          if (sum !== sum) at = firstMax2x2(x, i00, c, row);
          else if (m === a) at = i00;
          else if (m === b1) at = i00 + c;
          else if (m === c1) at = i00 + row;
          else if (m === d) at = i00 + row + c;
          else at = firstMax2x2(x, i00, c, row);
          dx[at] = g[gAt]!;
        }
      }
    }
  }
}

function firstMax2x2(x: Float32Array, i00: number, c: number, row: number): number {
  let at = i00;
  let best = x[i00]!;
  for (const i of [i00 + c, i00 + row, i00 + row + c]) {
    const v = x[i]!;
    if (v > best || (v !== v && best === best)) {
      best = v;
      at = i;
    }
  }
  return at;
}

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
