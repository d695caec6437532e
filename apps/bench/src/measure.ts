/**
 * Times one (model, backend, impl) in this process: training steps (Adam, softmax
 * cross-entropy, synced by awaiting the loss's data()) and inference steps (forward + argmax,
 * synced), the median of `steps` after `warmup`. The first warm-up step runs under
 * tf.profile to read the peak of tf.memory().numBytes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { forwardFlops, gflopsPerSec, tfjsLayersOps, traceModuleOps, trainFlops, type FlopOp } from './flops.js';
import { MODEL_SPECS, type BenchModel } from './suite.js';
import type { BenchBackend, BenchRow, Impl, KernelTime } from './row.js';
import { profileWebgpuStep, type GpuStepProfile } from './profile.js';

export interface RowRequest {
  model: BenchModel;
  backend: BenchBackend;
  impl: Exclude<Impl, 'pytorch'>;
  batchSize: number;
  warmup: number;
  steps: number;
  /** Also profile one more training step and return the kernels by time. */
  profile?: boolean;
  /**
   * Seconds this row may take: when the first (untimed) step shows the planned steps would not
   * fit, fewer warm-up/timed steps are run (at least 1 timed) and the row says so.
   */
  budgetS?: number;
  /** Skip the inference timing (stock rows under --quick). */
  skipInfer?: boolean;
}

export interface RowResult {
  row: BenchRow;
  kernels?: KernelTime[];
  /** --profile on webgpu: dispatches, submits, CPU issue time and GPU time per program. */
  gpuProfile?: GpuStepProfile;
  /** Seconds of each timed training / inference step (rounds of one row are merged from these). */
  trainTimes?: number[];
  inferTimes?: number[];
}

const NUM_CLASSES = 10;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Selects the backend: through @convnets/core (which registers its gradients and kernels), or stock wasm. */
export async function selectBackend(backend: BenchBackend): Promise<void> {
  if (backend === 'wasm-stock' || backend === 'cpu-stock') {
    const name = backend === 'wasm-stock' ? 'wasm' : 'cpu';
    await (name === 'wasm' ? import('@tensorflow/tfjs-backend-wasm') : import('@tensorflow/tfjs-backend-cpu'));
    if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend("${name}") returned false`);
    await tf.ready();
    return;
  }
  const core = await import('@convnets/backends');
  await core.useBackend(backend === 'webgpu-stock' ? 'webgpu' : backend, { requireHardwareAdapter: false, allowFallbackAdapter: true });
  await tf.ready();
  // webgpu-stock: Dawn as convnets loads it, with tfjs-webgpu's own kernels put back (this row's process only).
  if (backend === 'webgpu-stock') core.restoreStockKernels('webgpu');
}

interface Runner {
  ops: FlopOp[];
  trainStep(): Promise<void>;
  inferStep(): Promise<void>;
  dispose(): void;
}

/**
 * The convnets step as @convnets/trainer's train() takes it (its trainStep is internal): one
 * tf.variableGrads over softmaxCrossEntropy(model.forward(x), y) from the trainer, then the
 * trainer's PyTorch-exact Adam.apply, in one tidy.
 */
async function convnetsRunner(req: RowRequest, x: tf.Tensor4D, labels: tf.Tensor1D): Promise<Runner> {
  const spec = MODEL_SPECS[req.model];
  const { createModel } = await import('@convnets/models');
  const { Adam, softmaxCrossEntropy } = await import('@convnets/trainer');
  const model = createModel(spec.modelName, { ...spec.modelOptions, inChannels: 1, numClasses: NUM_CLASSES, inputSize: spec.inputSize });
  const ops = traceModuleOps(model, [spec.inputSize, spec.inputSize, 1]);
  const named = model.namedParameters().map(([name, p]) => ({ name, variable: p.variable }));
  const vars = named.map((v) => v.variable);
  const optimizer = new Adam(named);
  return {
    ops,
    async trainStep() {
      model.train();
      const loss = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => softmaxCrossEntropy(model.forward(x), labels), vars);
        optimizer.apply(vars.map((v) => grads[v.name] ?? tf.zerosLike(v)), 1e-3);
        return value;
      });
      await loss.data();
      loss.dispose();
    },
    async inferStep() {
      model.eval();
      const pred = tf.tidy(() => tf.argMax(model.forward(x), 1));
      await pred.data();
      pred.dispose();
    },
    dispose() {
      optimizer.dispose();
      model.dispose();
    },
  };
}

async function tfjsLayersRunner(req: RowRequest, x: tf.Tensor4D, yOneHot: tf.Tensor2D): Promise<Runner> {
  const { buildTfjsLayersModel } = await import('./tfjs_layers_nets.js');
  const model = buildTfjsLayersModel(req.model);
  const optimizer = tf.train.adam(1e-3);
  model.compile({ optimizer, loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });
  return {
    ops: tfjsLayersOps(model),
    async trainStep() {
      await model.trainOnBatch(x, yOneHot);
    },
    async inferStep() {
      const pred = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor, 1));
      await pred.data();
      pred.dispose();
    },
    dispose() {
      model.dispose();
      optimizer.dispose();
    },
  };
}

/** Why a training step failed, in the words the table uses. */
function explainFailure(req: RowRequest, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Conv2DBackpropFilter/.test(msg) || (req.backend.startsWith('wasm') && !tf.getKernel('Conv2DBackpropFilter', 'wasm'))) {
    return req.backend === 'wasm-stock'
      ? 'n/a: no Conv2DBackpropFilter on stock wasm'
      : 'n/a: no Conv2DBackpropFilter on wasm (convnets wasm training kernels not registered)';
  }
  return `train failed: ${msg.split('\n')[0].slice(0, 160)}`;
}

/** Seconds of each of `steps` timed steps, after `warmup` untimed ones. */
async function timeSteps(step: () => Promise<void>, warmup: number, steps: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await step();
    times.push((performance.now() - t0) / 1000);
  }
  return times;
}

/** Top kernels of a tf.profile result, summed by name, slowest first. */
export function topKernels(info: Awaited<ReturnType<typeof tf.profile>>, n = 10): KernelTime[] {
  const by = new Map<string, KernelTime>();
  for (const k of info.kernels) {
    if (k.name.endsWith('__op')) continue; // op scopes (fused ops' custom gradients), not kernels
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const e = by.get(k.name) ?? { name: k.name, ms: 0, calls: 0 };
    e.ms += ms;
    e.calls += 1;
    by.set(k.name, e);
  }
  return [...by.values()].sort((a, b) => b.ms - a.ms).slice(0, n);
}

/** Measures one row in this process (the backend is selected here). */
export async function measureRow(req: RowRequest): Promise<RowResult> {
  const spec = MODEL_SPECS[req.model];
  await selectBackend(req.backend);
  const size = spec.inputSize;
  const x = tf.randomUniform([req.batchSize, size, size, 1], 0, 1, 'float32', 0) as tf.Tensor4D;
  const labels = tf.randomUniform([req.batchSize], 0, NUM_CLASSES, 'int32', 1) as tf.Tensor1D;
  const yOneHot = tf.tidy(() => tf.cast(tf.oneHot(labels, NUM_CLASSES), 'float32') as tf.Tensor2D);
  const base: BenchRow = {
    model: req.model, backend: req.backend, impl: req.impl, batchSize: req.batchSize, inputSize: size,
    trainImgPerSec: null, inferImgPerSec: null, gflops: null, peakBytes: null, tfPeakBytes: null, inferGflops: null,
    warmup: req.warmup, steps: req.steps,
  };
  const runner = req.impl === 'convnets' ? await convnetsRunner(req, x, labels) : await tfjsLayersRunner(req, x, yOneHot);
  const notes: string[] = [];
  let kernels: KernelTime[] | undefined;
  let gpuProfile: GpuStepProfile | undefined;
  let trainTimes: number[] | undefined;
  let inferTimes: number[] | undefined;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  /** [warm-up, timed] steps that fit in `share` of what is left of the budget, given one step's seconds. */
  const fit = (stepS: number, warm: number, steps: number, share: number): [number, number] => {
    if (!req.budgetS) return [warm, steps];
    const n = Math.floor(((req.budgetS - elapsed()) * share) / Math.max(stepS, 1e-6));
    if (n >= warm + steps) return [warm, steps];
    return [0, Math.max(1, Math.min(steps, n))];
  };
  try {
    try {
      // First warm-up step under tf.profile: peak tensor bytes of a training step.
      const t0 = performance.now();
      const info = await tf.profile(() => runner.trainStep());
      const [warm, steps] = fit((performance.now() - t0) / 1000, Math.max(0, req.warmup - 1), req.steps, 0.7);
      base.tfPeakBytes = info.peakBytes;
      trainTimes = await timeSteps(() => runner.trainStep(), warm, steps);
      base.trainImgPerSec = req.batchSize / median(trainTimes);
      if (warm + 1 < req.warmup || steps < req.steps) notes.push(`train: ${warm + 1} warm-up + ${steps} timed (time budget)`);
      if (req.profile) kernels = topKernels(await tf.profile(() => runner.trainStep()), 10);
      if (req.profile && req.backend.startsWith('webgpu')) gpuProfile = await profileWebgpuStep(() => runner.trainStep());
    } catch (e) {
      notes.push(explainFailure(req, e));
    }
    if (!req.skipInfer) try {
      const t0 = performance.now();
      await runner.inferStep();
      const [warm, steps] = fit((performance.now() - t0) / 1000, Math.max(0, req.warmup - 1), req.steps, 0.9);
      inferTimes = await timeSteps(() => runner.inferStep(), warm, steps);
      base.inferImgPerSec = req.batchSize / median(inferTimes);
      if (warm + 1 < req.warmup || steps < req.steps) notes.push(`infer: ${warm + 1} warm-up + ${steps} timed (time budget)`);
    } catch (e) {
      notes.push(`inference failed: ${(e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 160)}`);
    }
  } finally {
    runner.dispose();
    tf.dispose([x, labels, yOneHot]);
  }
  base.gflops = gflopsPerSec(trainFlops(runner.ops), base.trainImgPerSec);
  base.inferGflops = gflopsPerSec(forwardFlops(runner.ops), base.inferImgPerSec);
  base.peakBytes = process.resourceUsage().maxRSS * 1024;
  if ((req.backend === 'wasm' || req.backend === 'cpu') && req.impl === 'tfjs-layers') notes.push(`with convnets ${req.backend} training kernels`);
  if (req.backend.endsWith('-stock')) notes.push('stock tfjs kernels');
  if (notes.length) base.note = notes.join('; ');
  return { row: base, kernels, gpuProfile, trainTimes, inferTimes };
}
