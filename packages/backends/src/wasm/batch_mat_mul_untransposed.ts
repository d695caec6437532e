import type { BatchMatMulAttrs, KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelRunner } from '../shared/kernel_runner.js';
import { transposeLastTwo } from './transpose_last_two.js';

const size = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1);

// Right-hand operands seen before. The first time, a large one is kept off XNNPACK's packing
// (a weight in training is new every step); the second time it is packed, and tfjs-wasm keeps
// that packing for every later product with the same tensor (a weight in inference).
const seenBefore = new WeakSet<object>();

/** Values copied by transposes and packed, for op(A)·op(B) and for (op(B)ᵀ·op(A)ᵀ)ᵀ: is the second cheaper? */
export function swapPays(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): boolean {
  const rows = a.shape[a.shape.length - (transposeA ? 1 : 2)]!;
  const cols = b.shape[b.shape.length - (transposeB ? 2 : 1)]!;
  const outSize = (size(a) / a.shape.slice(-2).reduce((x, y) => x * y, 1)) * rows * cols;
  // A strided packing of a right operand XNNPACK has not packed before counts 3x.
  const packing = (right: TensorInfo | undefined, n: number) => (right && seenBefore.has(right.dataId) ? 0 : 3 * n);
  const direct = (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0) + packing(transposeB ? undefined : b, size(b));
  const swapped = (transposeB ? 0 : size(b)) + (transposeA ? 0 : size(a)) + packing(transposeA ? a : undefined, size(a)) + outSize;
  return swapped < direct;
}

/**
 * BatchMatMul that never asks the backend for a transposed product, and keeps a large new
 * right-hand operand off XNNPACK's packing.
 *
 * tfjs-backend-wasm sends A·B to XNNPACK's threaded GEMM only when neither side is transposed;
 * A·Bᵀ and Aᵀ·B, which every dense layer's gradient needs, fall to a naive loop ~10x slower.
 * Transposing an operand first (a copy) keeps every product on the GEMM. XNNPACK also repacks
 * the right-hand operand, strided, whenever it is a tensor it has not seen: ~12 ns a value, so
 * a training step's forward x·W through AlexNet's 6400×4096 weight took ~300 ms of packing for
 * 40 ms of arithmetic. Of op(A)·op(B) and (op(B)ᵀ·op(A)ᵀ)ᵀ, the one that moves fewer values
 * is taken, counting that packing for a right operand not seen before.
 */
export function batchMatMulUntransposed(backendName: string, stock: KernelFunc): KernelFunc {
  return (args) => {
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const backend = args.backend as KernelBackend;
    const a = args.inputs.a as TensorInfo;
    const b = args.inputs.b as TensorInfo;
    const swapped = swapPays(a, b, transposeA, transposeB);
    if (!transposeA && !transposeB && !swapped) {
      seenBefore.add(b.dataId);
      return stock(args);
    }
    const { free } = kernelRunner(backend, backendName);
    const swap = (t: TensorInfo) => transposeLastTwo(backend, backendName, t);
    const product = (left: TensorInfo, right: TensorInfo) => {
      seenBefore.add(right.dataId);
      return stock({ inputs: { a: left, b: right }, backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as TensorInfo;
    };
    if (swapped) {
      if (!transposeB) seenBefore.add(b.dataId);
      const left = transposeB ? b : swap(b);
      const right = transposeA ? a : swap(a);
      const outT = product(left, right);
      const out = swap(outT);
      free(...[left, right].filter((t) => t !== a && t !== b), outT);
      return out;
    }
    const at = transposeA ? swap(a) : a;
    const bt = transposeB ? swap(b) : b;
    const out = product(at, bt);
    free(...[at, bt].filter((t) => t !== a && t !== b));
    return out;
  };
}

/**
 * _FusedMatMul (x·W + bias, then linear or relu: a dense layer's forward) that, for a new W
 * too large to pack on every call, computes the product by the BatchMatMul above and adds the
 * bias and activation after: AlexNet's 6400×4096 layer in training, ~350 → ~100 ms.
 */
export function fusedMatMulUnpacked(backendName: string, stock: KernelFunc): KernelFunc {
  return (args) => {
    const { transposeA, transposeB, activation } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean; activation: string };
    const { a, b, bias } = args.inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo };
    if (transposeA || transposeB || (activation !== 'linear' && activation !== 'relu') || !swapPays(a, b, false, false)) {
      if (!transposeB) seenBefore.add(b.dataId);
      return stock(args);
    }
    const { run, free } = kernelRunner(args.backend as KernelBackend, backendName);
    let out = run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false }); // swaps, and marks b seen
    for (const [kernel, extra] of [[bias && 'Add', bias], [activation === 'relu' && 'Relu', undefined]] as const) {
      if (!kernel) continue;
      const next = run(kernel, extra ? { a: out, b: extra } : { x: out });
      free(out);
      out = next;
    }
    return out;
  };
}
