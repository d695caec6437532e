/** The row every measurement produces (`--json` prints an array of them). */

export type Impl = 'convnets' | 'tfjs-layers' | 'pytorch';
export const IMPLS: readonly Impl[] = ['convnets', 'tfjs-layers', 'pytorch'];

/**
 * tfjs backends the bench can run. `wasm-stock` / `cpu-stock` / `webgpu-stock`: the backend as tfjs ships it,
 * without @convnets/core's training kernels (tfjs-layers rows only).
 */
export type BenchBackend = 'cpu' | 'wasm' | 'webgpu' | 'tensorflow' | 'wasm-stock' | 'cpu-stock' | 'webgpu-stock';
export const BENCH_BACKENDS: readonly BenchBackend[] = ['cpu', 'wasm', 'webgpu', 'tensorflow'];

export interface BenchRow {
  model: string;
  backend: string;
  impl: Impl;
  batchSize: number;
  inputSize: number;
  /** Training images/s (Adam, softmax cross-entropy): median of the timed steps; null = could not run. */
  trainImgPerSec: number | null;
  /** Inference images/s (forward + argmax): median of the timed steps. */
  inferImgPerSec: number | null;
  /** Achieved training GFLOP/s (3 x forward FLOPs counted from the layer shapes). */
  gflops: number | null;
  /** Peak resident set size of the process that ran the row (bytes). */
  peakBytes: number | null;
  /** Peak tf.memory().numBytes over a profiled training step (bytes); absent for PyTorch. */
  tfPeakBytes?: number | null;
  /** Inference GFLOP/s (forward FLOPs). */
  inferGflops?: number | null;
  /** Warm-up and timed steps used. */
  warmup?: number;
  steps?: number;
  /** Why a figure is missing, or what is special about the row. */
  note?: string;
  /** Each round's own training / inference img/s, in the order the rounds ran (null: none that round). */
  rounds?: { train: (number | null)[]; infer: (number | null)[] };
}

/** The keys every row has, in order (the schema `--json` promises). */
export const ROW_KEYS = ['model', 'backend', 'impl', 'batchSize', 'inputSize', 'trainImgPerSec', 'inferImgPerSec', 'gflops', 'peakBytes'] as const;

/** One kernel's share of a profiled training step. */
export interface KernelTime {
  name: string;
  ms: number;
  calls: number;
}

/** Marks the line a row's child process prints its result on. */
export const RESULT_PREFIX = '@@bench-row@@';
