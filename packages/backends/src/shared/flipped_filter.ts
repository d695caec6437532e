import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { transposeBlock } from './js_gemm.js';
import { kernelBuffers } from './kernel_buffers.js';

/**
 * The filter the input gradient convolves with: [fh, fw, c, o] flipped in space with in and out
 * channels swapped, [fh, fw, o, c], in one pass. tfjs-backend-wasm's Reverse alone took ~70 ms
 * for a 3×3×384×256 filter (~0.3 s of an AlexNet step at batch 32); this takes a few.
 */
export function flippedFilter(backend: KernelBackend, filter: TensorInfo): TensorInfo {
  const [fh, fw, c, o] = filter.shape as [number, number, number, number];
  const out = kernelBuffers(backend, [fh, fw, o, c]);
  const dst = out.values;
  const src = out.read(filter);
  const block = c * o;
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const from = ((fh - 1 - i) * fw + (fw - 1 - j)) * block;
      transposeBlock(src, from, c, o, dst, (i * fw + j) * block);
    }
  }
  return out.info();
}
