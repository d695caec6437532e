import type { BatchMatMulAttrs, KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * BatchMatMul that never asks the backend for a transposed product.
 *
 * tfjs-backend-wasm sends A·B to XNNPACK's threaded GEMM only when neither side is transposed;
 * A·Bᵀ and Aᵀ·B, which every dense layer's gradient needs, fall to a naive loop ~10x slower.
 * Transposing the operand first (XNNPACK's transpose, a copy) keeps every product on the GEMM.
 */
export function batchMatMulUntransposed(backendName: string, stock: KernelFunc): KernelFunc {
  return (args) => {
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    if (!transposeA && !transposeB) return stock(args);
    const backend = args.backend as KernelBackend;
    const transpose = tf.getKernel('Transpose', backendName)!.kernelFunc;
    const swapLastTwo = (t: TensorInfo): TensorInfo => {
      const perm = t.shape.map((_, i) => i);
      perm.splice(-2, 2, perm.length - 1, perm.length - 2);
      return transpose({ inputs: { x: t }, backend, attrs: { perm } }) as TensorInfo;
    };
    const a = transposeA ? swapLastTwo(args.inputs.a as TensorInfo) : (args.inputs.a as TensorInfo);
    const b = transposeB ? swapLastTwo(args.inputs.b as TensorInfo) : (args.inputs.b as TensorInfo);
    const out = stock({ inputs: { a, b }, backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as TensorInfo;
    if (transposeA) backend.disposeData(a.dataId);
    if (transposeB) backend.disposeData(b.dataId);
    return out;
  };
}
