/** `pnpm bench` flags. */
import { parseArgs } from 'node:util';
import { BENCH_MODELS, isBenchModel, type BenchModel } from './suite.js';
import { BENCH_BACKENDS, IMPLS, type BenchBackend, type Impl } from './row.js';

export interface BenchArgs {
  models: BenchModel[];
  backends: BenchBackend[];
  impls: Impl[];
  steps?: number;
  warmup?: number;
  batchSize?: number;
  json: boolean;
  quick: boolean;
  out?: string;
  profile: boolean;
  /** Per-row time budget in seconds (default: 60/90 quick, 600 full). */
  budget?: number;
  /** Rounds a network's rows are measured in, taking turns (ABC, CBA, …), then merged. */
  rounds: number;
  /** Rows with stock tfjs kernels (tfjs-layers on cpu-stock / wasm-stock / webgpu-stock). */
  stock: boolean;
  help: boolean;
  /** Whether --models/--backends/--impl narrowed the run. */
  subset: boolean;
}

export const USAGE = `Usage: pnpm bench [options]

Times training (Adam) and inference of LeNet, AlexNet, VGG-11/8, NiN and GoogLeNet with
convnets, the same networks in @tensorflow/tfjs-layers, and PyTorch on the CPU
(interop/bench_torch.py). Without --quick it rewrites docs/benchmarks.md and docs/benchmarks.svg.

  --models a,b       ${BENCH_MODELS.join(',')} (default: all)
  --backends a,b     ${BENCH_BACKENDS.join(',')} (default: all that start; webgpu is
                     software llvmpipe here: with --quick LeNet only)
  --impl a,b         ${IMPLS.join(',')} (default: all)
  --steps N          timed steps, split over the rounds (default: LeNet 100, others 8;
                     --quick 100 / 10); PyTorch: the same a round, at least 5 after 3 warm-ups
  --warmup N         warm-up steps (default: LeNet 5, others 2; --quick 2 / 1)
  --batch-size N     one batch size for every model (default: LeNet 256, others 32; --quick others 8)
  --budget S         seconds a row may take before it runs fewer steps (default 60/90 quick, 600)
  --rounds N         measure every row of a network (convnets, tfjs-layers, PyTorch) in N
                     rounds, taking turns (convnets, tfjs-layers, pytorch, pytorch, tfjs-layers,
                     convnets, …), so every side of a ratio sees the same phases of a noisy
                     machine; steps and budget are split; each ratio gives its per-round range
                     (default 3; --quick 5)
  --no-stock         skip tfjs-layers on stock cpu/wasm/webgpu kernels
  --profile          tf.profile one training step per row; print the top 10 kernels; on webgpu
                     also dispatches, submits, CPU issue time and GPU ms per program (timestamp
                     queries, where the adapter has them)
  --json             print only a JSON array of rows on stdout (progress on stderr)
  --quick            a short run (few steps, small batches); does not write docs/ unless --out
  --out FILE         write the markdown report (and FILE's .svg chart) there
  -h, --help         this text`;

function list<T extends string>(value: string | undefined, all: readonly T[], what: string, check: (s: string) => boolean): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((s) => !check(s));
  if (bad.length || items.length === 0) {
    throw new Error(`Unknown ${what} "${bad.join(', ') || value}": choose from ${all.join(', ')}`);
  }
  return items as T[];
}

function positive(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer >= ${min}, got "${value}"`);
  return n;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      models: { type: 'string' },
      backends: { type: 'string' },
      impl: { type: 'string' },
      steps: { type: 'string' },
      warmup: { type: 'string' },
      'batch-size': { type: 'string' },
      budget: { type: 'string' },
      rounds: { type: 'string' },
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'no-stock': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const models = list<BenchModel>(values.models, BENCH_MODELS, 'model', isBenchModel);
  const backends = list<BenchBackend>(values.backends, BENCH_BACKENDS, 'backend', (s) => (BENCH_BACKENDS as readonly string[]).includes(s));
  const impls = list<Impl>(values.impl, IMPLS, 'impl', (s) => (IMPLS as readonly string[]).includes(s));
  return {
    models: models ?? [...BENCH_MODELS],
    backends: backends ?? [...BENCH_BACKENDS],
    impls: impls ?? [...IMPLS],
    steps: positive(values.steps, '--steps'),
    warmup: positive(values.warmup, '--warmup', 0),
    batchSize: positive(values['batch-size'], '--batch-size'),
    budget: positive(values.budget, '--budget'),
    // Quick rounds are short, so five of them cost little and steady the ratios' medians.
    rounds: positive(values.rounds, '--rounds') ?? (values.quick ? 5 : 3),
    json: values.json ?? false,
    quick: values.quick ?? false,
    out: values.out,
    profile: values.profile ?? false,
    stock: !(values['no-stock'] ?? false),
    help: values.help ?? false,
    subset: Boolean(models || backends || impls),
  };
}
