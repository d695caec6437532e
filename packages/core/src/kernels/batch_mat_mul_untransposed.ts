import type { BatchMatMulAttrs, KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelRunner } from './kernel_runner.js';

/**
 * BatchMatMul that never asks the backend for a transposed product.
 *
 * tfjs-backend-wasm sends A·B to XNNPACK's threaded GEMM only when neither side is transposed;
 * A·Bᵀ and Aᵀ·B, which every dense layer's gradient needs, fall to a naive loop ~10x slower.
 * Transposing the operand first (a copy) keeps every product on the GEMM.
 */
export function batchMatMulUntransposed(backendName: string, stock: KernelFunc): KernelFunc {
  return (args) => {
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    if (!transposeA && !transposeB) return stock(args);
    const backend = args.backend as KernelBackend;
    const { run, free } = kernelRunner(backend, backendName);
    const swapLastTwo = (t: TensorInfo): TensorInfo => {
      const perm = t.shape.map((_, i) => i);
      perm.splice(-2, 2, perm.length - 1, perm.length - 2);
      return run('Transpose', { x: t }, { perm });
    };
    const a = args.inputs.a as TensorInfo;
    const b = args.inputs.b as TensorInfo;
    const at = transposeA ? swapLastTwo(a) : a;
    const bt = transposeB ? swapLastTwo(b) : b;
    const out = stock({ inputs: { a: at, b: bt }, backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as TensorInfo;
    free(...[at, bt].filter((t) => t !== a && t !== b));
    return out;
  };
}
