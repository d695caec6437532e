import * as tf from '@tensorflow/tfjs-core';
import type { BatchMatMulAttrs, KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { swapLastTwoAxes } from '../shared/swap_last_two_axes.js';

/** tfjs-backend-webgpu 4.22's MatMulProgramType.MatMulSplitKProgram (WEBGPU_MATMUL_PROGRAM_TYPE). */
const SPLIT_K = 1;
/** tfjs-webgpu's split-K program is chosen only for inner dimensions at least this long. */
const SPLIT_K_MIN_INNER = 2000;

interface MatMulShapes {
  a: readonly number[];
  b: readonly number[];
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * Whether tfjs-backend-webgpu 4.22 would multiply these with MatMulSplitKProgram in vec4
 * lanes with B transposed, which gives wrong numbers: that program reads B's vec4 along B's
 * last axis, which for a transposed B is the inner dimension, not the output columns (its
 * MatMulPackedProgram turns vec4 off for a transposed B; split-K does not). A dense layer's
 * input gradient, dy·Wᵀ, is that product wherever the batch is small and the layer wide:
 * AlexNet at 67×67 (dy [4, 4096] · W [256, 4096]ᵀ) trained on wrong gradients.
 * The choice below is tfjs-webgpu's own (BatchMatMul_impl.ts and matmul_splitK_webgpu.ts).
 */
export function splitKMisreadsTransposedB(s: MatMulShapes, threshold: number, programType: number): boolean {
  if (!s.transposeB) return false;
  const [ra, rb] = [s.a.length, s.b.length];
  const outerA = s.transposeA ? s.a[ra - 1]! : s.a[ra - 2]!;
  const inner = s.transposeA ? s.a[ra - 2]! : s.a[ra - 1]!;
  const outerB = s.b[rb - 2]!;
  const batch = Math.max(tf.util.sizeFromShape(s.a.slice(0, -2)), tf.util.sizeFromShape(s.b.slice(0, -2)));
  let splitK = programType === SPLIT_K;
  if (programType < 0) {
    const workgroups = batch * Math.ceil(outerA / 32) * Math.ceil(outerB / 32);
    const few = workgroups <= threshold || (outerA <= 8 && workgroups <= threshold * 2);
    splitK = few && batch * outerA * outerB > 128 && batch === 1 && inner >= SPLIT_K_MIN_INNER;
  }
  const vec4 = (s.transposeA ? outerA % 4 === 0 : inner % 4 === 0) && outerB % 4 === 0;
  return splitK && vec4;
}

/** The split-K threshold and program type tfjs-webgpu reads for this backend. */
function matMulChoice(backend: KernelBackend): { threshold: number; programType: number } {
  const flag = tf.env().getNumber('WEBGPU_THRESHOLD_TO_INCREASE_WORKGROUPS_FOR_MATMUL');
  const own = (backend as unknown as { thresholdToIncreaseWorkgroups?: number }).thresholdToIncreaseWorkgroups ?? 8;
  return { threshold: flag > 0 ? flag : own, programType: tf.env().getNumber('WEBGPU_MATMUL_PROGRAM_TYPE') };
}

/**
 * BatchMatMul or _FusedMatMul on webgpu: tfjs-webgpu's kernel (`stock`), given B already
 * transposed wherever its split-K program would misread a transposed B
 * (splitKMisreadsTransposedB). One Transpose dispatch more, on those products only.
 */
export function matMulWebgpu(kernelName: string, stock: KernelFunc | undefined): KernelFunc {
  if (!stock) throw new Error(`convnets webgpu: tfjs-backend-webgpu has no ${kernelName} kernel to wrap`);
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const attrs = args.attrs as unknown as BatchMatMulAttrs;
    const backend = args.backend as KernelBackend;
    const { threshold, programType } = matMulChoice(backend);
    const shapes = { a: a.shape, b: b.shape, transposeA: attrs.transposeA, transposeB: attrs.transposeB };
    if (!splitKMisreadsTransposedB(shapes, threshold, programType)) return stock(args);
    const bT = swapLastTwoAxes(backend, 'webgpu', b);
    try {
      return stock({ ...args, inputs: { ...args.inputs, b: bT }, attrs: { ...args.attrs, transposeB: false } }) as TensorInfo;
    } finally {
      backend.disposeData(bT.dataId);
    }
  };
}
