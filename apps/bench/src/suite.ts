/** The networks `pnpm bench` measures, with the sizes the seed trains them at. */

export const BENCH_MODELS = ['lenet', 'alexnet', 'vgg11-8', 'nin', 'googlenet'] as const;
export type BenchModel = (typeof BENCH_MODELS)[number];

export interface ModelSpec {
  id: BenchModel;
  /** The name createModel() takes. */
  modelName: 'lenet' | 'alexnet' | 'vgg11' | 'nin' | 'googlenet';
  /** Options for createModel() (the seed's variant). */
  modelOptions: Record<string, unknown>;
  /** Square input side. */
  inputSize: number;
  /** Batch of the full run (PyTorch's rows use the same). */
  batchSize: number;
  /** Batch under --quick. */
  quickBatchSize: number;
  /** Batch of the full run on cpu and cpu-stock (one JS thread: an AlexNet step at 32 takes over a minute). */
  cpuBatchSize: number;
  /** Name in interop/seed_nets.py / bench_torch.py. */
  torchName: string;
  /** A small network: more steps. */
  small: boolean;
}

export const MODEL_SPECS: Record<BenchModel, ModelSpec> = {
  lenet: {
    id: 'lenet', modelName: 'lenet', modelOptions: {}, inputSize: 28, batchSize: 256, quickBatchSize: 256, cpuBatchSize: 256,
    torchName: 'lenet', small: true,
  },
  alexnet: {
    id: 'alexnet', modelName: 'alexnet', modelOptions: { hiddenLayers: 1 }, inputSize: 224, batchSize: 32,
    quickBatchSize: 8, cpuBatchSize: 8, torchName: 'alexnet', small: false,
  },
  'vgg11-8': {
    id: 'vgg11-8', modelName: 'vgg11', modelOptions: { widthRatio: 8 }, inputSize: 224, batchSize: 32,
    quickBatchSize: 8, cpuBatchSize: 8, torchName: 'vgg11-8', small: false,
  },
  nin: {
    id: 'nin', modelName: 'nin', modelOptions: {}, inputSize: 224, batchSize: 32, quickBatchSize: 8, cpuBatchSize: 8,
    torchName: 'nin', small: false,
  },
  googlenet: {
    id: 'googlenet', modelName: 'googlenet', modelOptions: {}, inputSize: 96, batchSize: 32, quickBatchSize: 8, cpuBatchSize: 8,
    torchName: 'googlenet', small: false,
  },
};

export function isBenchModel(name: string): name is BenchModel {
  return (BENCH_MODELS as readonly string[]).includes(name);
}

/**
 * Warm-up and timed steps: the defaults, unless --warmup / --steps say otherwise. The timed
 * steps are split over the rounds (3 by default; --quick: 5 rounds of 20 / 2). LeNet's
 * steps take milliseconds: 20 a round keep a few slow steps from moving a round's median.
 */
export function defaultSteps(spec: ModelSpec, quick: boolean): { warmup: number; steps: number } {
  if (quick) return spec.small ? { warmup: 2, steps: 100 } : { warmup: 1, steps: 10 };
  return spec.small ? { warmup: 5, steps: 100 } : { warmup: 2, steps: 8 };
}
