/** Inputs of a filter-gradient case and the gradient summed in float64, for the wasm kernels' tests. */
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { useBackend } from '../src/index.js';
import { maxRelErr } from './max_rel_err.js';

export type Pad = 'valid' | 'same' | number;
export interface FilterGradCase { why: string; n: number; h: number; w: number; c: number; o: number; k: number; s: number; pad: Pad }

const padArg = (pad: Pad) => (typeof pad === 'number' ? [[0, 0], [pad, pad], [pad, pad], [0, 0]] : pad);

export function filterGradInputs(cs: FilterGradCase) {
  const x = tf.randomUniform([cs.n, cs.h, cs.w, cs.c], -1, 1, 'float32', 1) as tf.Tensor4D;
  const info = backend_util.computeConv2DInfo(x.shape, [cs.k, cs.k, cs.c, cs.o], cs.s, 1, padArg(cs.pad) as never, undefined, false, 'channelsLast');
  const dy = tf.randomUniform([cs.n, info.outHeight, info.outWidth, cs.o], -1, 1, 'float32', 2) as tf.Tensor4D;
  const attrs = { strides: cs.s, pad: padArg(cs.pad), dataFormat: 'NHWC', filterShape: [cs.k, cs.k, cs.c, cs.o] };
  return { x, dy, info, attrs };
}

/** dW[kh, kw, ci, o] = Σ x[b, i·s + kh - top, j·s + kw - left, ci] · dy[b, i, j, o], in float64. */
export function filterGradReference(x: Float32Array, dy: Float32Array, info: backend_util.Conv2DInfo): Float64Array {
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outChannels: o, outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw } = info;
  const dw = new Float64Array(fh * fw * c * o);
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const g = ((b * oh + i) * ow + j) * o;
        for (let kh = 0; kh < fh; kh++) {
          const y = i * info.strideHeight + kh - info.padInfo.top;
          if (y < 0 || y >= h) continue;
          for (let kw = 0; kw < fw; kw++) {
            const xx = j * info.strideWidth + kw - info.padInfo.left;
            if (xx < 0 || xx >= w) continue;
            for (let ci = 0; ci < c; ci++) {
              const v = x[((b * h + y) * w + xx) * c + ci]!;
              const d = ((kh * fw + kw) * c + ci) * o;
              for (let oc = 0; oc < o; oc++) dw[d + oc]! += v * dy[g + oc]!;
            }
          }
        }
      }
    }
  }
  return dw;
}

type FilterGradKernel = (backend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo) => TensorInfo | null;

/**
 * On wasm, `kernel` takes the case, comes within 1e-5 of the float64 sum, frees every scratch
 * buffer, and is what the registered Conv2DBackpropFilter runs.
 */
export async function expectFilterGradKernel(kernel: FilterGradKernel, cs: FilterGradCase): Promise<void> {
  await useBackend('wasm');
  const { x, dy, info, attrs } = filterGradInputs(cs);
  const want = filterGradReference((await x.data()) as Float32Array, (await dy.data()) as Float32Array, info);
  const backend = tf.backend();
  const before = backend.numDataIds();
  const out = kernel(backend, x, dy, info);
  expect(out).not.toBeNull();
  expect(out!.shape).toEqual([cs.k, cs.k, cs.c, cs.o]);
  expect(backend.numDataIds()).toBe(before + 1); // the gradient; every scratch buffer freed
  const got = tf.engine().makeTensorFromTensorInfo(out!);
  const gotValues = await got.data();
  expect(maxRelErr(gotValues, want)).toBeLessThanOrEqual(1e-5);
  const registered = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never) as tf.Tensor;
  expect(Array.from(await registered.data())).toEqual(Array.from(gotValues));
  tf.dispose([x, dy, got, registered]);
}
