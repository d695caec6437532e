import type { BatchMatMulAttrs, KernelBackend, KernelFunc, TensorInfo, _FusedMatMulAttrs } from '@tensorflow/tfjs-core';
import { ACTIVATIONS, addBiasAndActivate } from './js_activations.js';
import { copyRows, gemmABt, roundUp4, transposeBlock } from './js_gemm.js';
import { kernelBuffers } from './kernel_buffers.js';

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
  const [av, bv] = [backend.readSync(a.dataId), backend.readSync(b.dataId)] as [Float32Array, Float32Array];
  const [M4, N4] = [roundUp4(M), roundUp4(N)];
  const rowsA = new Float32Array(M4 * K); // [M4, K], zero rows after M
  const rowsB = new Float32Array(N4 * K); // [N4, K], zero rows after N
  const padded = M4 === M && N4 === N ? undefined : new Float32Array(M4 * N4);
  for (let batch = 0; batch < batches; batch++) {
    const aAt = (sizeA === 1 ? 0 : batch) * M * K;
    const bAt = (sizeB === 1 ? 0 : batch) * K * N;
    if (batch === 0 || sizeA > 1) layOut(av, aAt, transposeA, M, K, rowsA);
    if (batch === 0 || sizeB > 1) layOut(bv, bAt, !transposeB, N, K, rowsB);
    const cAt = batch * M * N;
    if (!padded) {
      gemmABt(rowsA, 0, rowsB, out.values, cAt, M4, N4, K);
      continue;
    }
    gemmABt(rowsA, 0, rowsB, padded, 0, M4, N4, K);
    copyRows(padded, 0, N4, out.values, cAt, N, M, N);
  }
  epilogue?.(out.values);
  return out.info();
}

/** rows × k values from src at `at` into dst as [rows, k]: copied, or transposed from [k, rows]. */
function layOut(src: Float32Array, at: number, transposed: boolean, rows: number, k: number, dst: Float32Array): void {
  if (!transposed) {
    dst.set(src.subarray(at, at + rows * k));
    return;
  }
  transposeBlock(src, at, k, rows, dst, 0);
}
