import type { BatchMatMulAttrs, KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelRunner } from './kernel_runner.js';

const size = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1);

/**
 * BatchMatMul that never asks the backend for a transposed product.
 *
 * tfjs-backend-wasm sends A·B to XNNPACK's threaded GEMM only when neither side is transposed;
 * A·Bᵀ and Aᵀ·B, which every dense layer's gradient needs, fall to a naive loop ~10x slower.
 * Transposing an operand first (a copy) keeps every product on the GEMM. Of the two ways,
 * op(A)·op(B) and (op(B)ᵀ·op(A)ᵀ)ᵀ, the one that moves fewer values is taken: XNNPACK also
 * repacks the right-hand operand on every call, so for an input gradient dy·Wᵀ through
 * AlexNet's 6400×4096 weight, (W·dyᵀ)ᵀ moves 0.5M values instead of 52M.
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
    const product = (left: TensorInfo, right: TensorInfo) =>
      stock({ inputs: { a: left, b: right }, backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as TensorInfo;
    const a = args.inputs.a as TensorInfo;
    const b = args.inputs.b as TensorInfo;
    const rows = a.shape[a.shape.length - (transposeA ? 1 : 2)]!;
    const cols = b.shape[b.shape.length - (transposeB ? 2 : 1)]!;
    const outSize = (size(a) / a.shape.slice(-2).reduce((x, y) => x * y, 1)) * rows * cols;
    const direct = (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0) + size(b);
    const swapped = (transposeB ? 0 : size(b)) + (transposeA ? 0 : size(a)) + size(a) + outSize;
    if (swapped < direct) {
      const left = transposeB ? b : swapLastTwo(b);
      const right = transposeA ? a : swapLastTwo(a);
      const outT = product(left, right);
      const out = swapLastTwo(outT);
      free(...[left, right].filter((t) => t !== a && t !== b), outT);
      return out;
    }
    const at = transposeA ? swapLastTwo(a) : a;
    const bt = transposeB ? swapLastTwo(b) : b;
    const out = product(at, bt);
    free(...[at, bt].filter((t) => t !== a && t !== b));
    return out;
  };
}
