import type { BatchMatMulAttrs, KernelBackend, KernelFunc, TensorInfo, _FusedMatMulAttrs } from '@tensorflow/tfjs-core';
import { ACTIVATIONS, addBiasAndActivate } from './js_activations.js';
import { copyRows, gemmABt, roundUp4, transposeBlock } from '../shared/js_gemm.js';
import { kernelBuffers } from '../shared/kernel_buffers.js';

/**
 * BatchMatMul and _FusedMatMul on the cpu backend in js_gemm's tiles (tfjs cpu's loop: ~0.5
 * GFLOP/s on LeNet's dense layers, these ~3). Both operands are first laid out with the
 * summed axis contiguous ([M, K] and [N, K], rows padded to multiples of 4): a product that
 * walks a large operand down its columns runs 3x slower.
 *
 * Batch dimensions must be equal or 1 on one side; other broadcasts go to `fallback`.
 */
export function batchMatMulJs(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    return matMul(args.backend as KernelBackend, a, b, transposeA, transposeB) ?? fallback(args);
  };
}

/** _FusedMatMul with a linear, relu or sigmoid activation and a bias of N or 1 values; others go to `fallback`. */
export function fusedMatMulJs(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const { transposeA, transposeB, activation } = args.attrs as unknown as _FusedMatMulAttrs;
    const act = ACTIVATIONS[activation];
    const n = b.shape[transposeB ? b.shape.length - 2 : b.shape.length - 1]!;
    const biasSize = bias?.shape.reduce((p, d) => p * d, 1);
    if (act === undefined || preluActivationWeights || (biasSize !== undefined && biasSize !== n && biasSize !== 1)) return fallback(args);
    const backend = args.backend as KernelBackend;
    // cpu kernel: readSync hands back the stored array (no GPU download).
    const biasValues = bias ? (backend.readSync(bias.dataId) as Float32Array) : undefined;
    return (
      matMul(backend, a, b, transposeA, transposeB, (y) => addBiasAndActivate(y, n, biasValues, act)) ?? fallback(args)
    );
  };
}

function matMul(backend: KernelBackend, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, epilogue?: (y: Float32Array) => void): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const [sizeA, sizeB] = [batchA, batchB].map((s) => s.reduce((p, d) => p * d, 1)) as [number, number];
  if (sizeA !== sizeB && sizeA !== 1 && sizeB !== 1) return null;
  const batchShape = sizeA >= sizeB ? batchA : batchB;
  const [ra, ca] = a.shape.slice(-2) as [number, number];
  const [rb, cb] = b.shape.slice(-2) as [number, number];
  const [M, K] = transposeA ? [ca, ra] : [ra, ca];
  const [K2, N] = transposeB ? [cb, rb] : [rb, cb];
  if (K !== K2) return null; // tfjs's kernel says what is wrong
  const batches = Math.max(sizeA, sizeB);
  const out = kernelBuffers(backend, [...batchShape, M, N]);
  // cpu kernel: readSync hands back the stored arrays (no GPU download).
  const [av, bv] = [backend.readSync(a.dataId), backend.readSync(b.dataId)] as [Float32Array, Float32Array];
  const [M4, N4] = [roundUp4(M), roundUp4(N)];
  const operandA = operand(av, transposeA, M, K);
  const operandB = operand(bv, !transposeB, N, K);
  const padded = M4 === M && N4 === N ? undefined : new Float32Array(M4 * N4);
  for (let batch = 0; batch < batches; batch++) {
    const [rowsA, aAt] = operandA((sizeA === 1 ? 0 : batch) * M * K);
    const [rowsB, bAt] = operandB((sizeB === 1 ? 0 : batch) * K * N);
    const cAt = batch * M * N;
    if (!padded) {
      gemmABt(rowsA, aAt, rowsB, bAt, out.values, cAt, M4, N4, K);
      continue;
    }
    gemmABt(rowsA, aAt, rowsB, bAt, padded, 0, M4, N4, K);
    copyRows(padded, 0, N4, out.values, cAt, N, M, N);
  }
  epilogue?.(out.values);
  return out.info();
}

/**
 * One batch's operand as [rows, k] with rows a multiple of 4: read in place where src already
 * is that (a dense layer's weight for dy·Wᵀ: no copy of 26M values a step), else copied or
 * transposed (from [k, rows]) into one scratch array, zero rows after `rows`.
 */
function operand(src: Float32Array, transposed: boolean, rows: number, k: number): (at: number) => [Float32Array, number] {
  if (!transposed && rows % 4 === 0) return (at) => [src, at];
  const dst = new Float32Array(roundUp4(rows) * k);
  let laidOut = -1;
  return (at) => {
    if (at !== laidOut) {
      if (transposed) transposeBlock(src, at, k, rows, dst, 0);
      else dst.set(src.subarray(at, at + rows * k));
      laidOut = at;
    }
    return [dst, 0];
  };
}
