/**
 * The order the bench measures in: every row of a network (convnets and tfjs-layers on each
 * backend, and PyTorch) takes part in the same rounds, in turns (A B C, C B A, A B C, …), so a
 * slow phase of the machine falls on every side of a ratio instead of on whichever row ran in it.
 */
import type { BenchArgs } from './args.js';
import type { RowRequest } from './measure.js';
import type { TorchRequest } from './pytorch.js';
import { roundOrder, stepsPerRound } from './rounds.js';
import type { BenchBackend } from './row.js';
import { defaultSteps, MODEL_SPECS, type BenchModel } from './suite.js';

/** PyTorch never times fewer steps, nor warms up less, than this: oneDNN builds its primitives in the first steps. */
export const TORCH_MIN_WARMUP = 3;
export const TORCH_MIN_STEPS = 5;
/** The least time a PyTorch round may take before its worker is ended. */
const TORCH_TIMEOUT_MS = 900_000;

interface RunBase {
  /** Rounds of one row share a key and are merged into one row. */
  key: string;
  round: number;
  /** Of the whole row (every round). */
  rounds: number;
  /** The rows it takes turns with, for its note. */
  partners: string[];
  timeoutMs: number;
}

export type Run = (RunBase & { kind: 'tfjs'; req: RowRequest }) | (RunBase & { kind: 'pytorch'; req: TorchRequest });

interface Member {
  backend: BenchBackend;
  impl: RowRequest['impl'] | 'pytorch';
}

const label = (m: Member) => (m.impl === 'pytorch' ? 'pytorch' : `${m.impl} ${m.backend}`);

/**
 * Every child-process run (tfjs) and worker request (PyTorch) of the bench, in order. `pytorch`:
 * whether PyTorch can run here (its rows are left out otherwise).
 */
export function planRuns(args: BenchArgs, { pytorch }: { pytorch: boolean }): Run[] {
  const out: Run[] = [];
  const tfImpls = args.impls.filter((i) => i !== 'pytorch') as RowRequest['impl'][];
  const rowBudgetS = args.budget ?? (args.quick ? 60 : 600);
  // The first step always runs; a row that cannot finish one step in 3x its budget is cut.
  const timeoutMs = (rowBudgetS * 3 + 60) * 1000;
  const batchFor = (model: BenchModel, backend: BenchBackend) => {
    const spec = MODEL_SPECS[model];
    return args.batchSize ?? (args.quick ? spec.quickBatchSize : backend.startsWith('cpu') ? spec.cpuBatchSize : spec.batchSize);
  };
  for (const model of args.models) {
    const d = defaultSteps(MODEL_SPECS[model], args.quick);
    const warmup = args.warmup ?? d.warmup;
    const members: Member[] = [];
    for (const backend of args.backends) {
      // Under --quick the slow backends run LeNet only: webgpu is llvmpipe here, and cpu is one
      // JS thread at ~3 GFLOP/s (an AlexNet step at batch 8 takes ~20 s).
      if ((backend === 'webgpu' || backend === 'cpu') && args.quick && model !== 'lenet') continue;
      for (const impl of tfImpls) members.push({ backend, impl });
    }
    if (pytorch && args.impls.includes('pytorch')) members.push({ backend: 'cpu', impl: 'pytorch' });
    const rounds = members.length > 1 ? args.rounds : 1;
    const steps = stepsPerRound(args.steps ?? d.steps, rounds);
    roundOrder(members, rounds).forEach((order, round) => {
      for (const m of order) {
        const base = { key: `${model}|${m.backend}|${m.impl}`, round, rounds, partners: members.filter((o) => o !== m).map(label), timeoutMs };
        if (m.impl === 'pytorch') {
          const batchSize = args.batchSize ?? (args.quick ? MODEL_SPECS[model].quickBatchSize : MODEL_SPECS[model].batchSize);
          // No time budget trims a PyTorch round (it must time its floor of steps): it may take longer.
          out.push({ ...base, timeoutMs: Math.max(timeoutMs, TORCH_TIMEOUT_MS), kind: 'pytorch', req: { model, batchSize, warmup: Math.max(warmup, TORCH_MIN_WARMUP), steps: Math.max(steps, TORCH_MIN_STEPS) } });
        } else {
          out.push({
            ...base,
            kind: 'tfjs',
            req: {
              model, backend: m.backend, impl: m.impl, batchSize: batchFor(model, m.backend), warmup, steps,
              profile: args.profile && round === 0, budgetS: Math.max(1, Math.round(rowBudgetS / rounds)), skipInfer: false,
            },
          });
        }
      }
    });
  }
  if (args.stock && tfImpls.includes('tfjs-layers')) {
    const stock = (model: BenchModel, backend: BenchBackend, skipInfer: boolean) => {
      const d = defaultSteps(MODEL_SPECS[model], args.quick);
      out.push({
        key: `${model}|${backend}|tfjs-layers`, round: 0, rounds: 1, partners: [], timeoutMs, kind: 'tfjs',
        req: {
          model, backend, impl: 'tfjs-layers', batchSize: batchFor(model, backend), warmup: args.warmup ?? d.warmup, steps: args.steps ?? d.steps,
          profile: args.profile, budgetS: rowBudgetS, skipInfer,
        },
      });
    };
    for (const model of args.models) {
      if (args.backends.includes('wasm')) stock(model, 'wasm-stock', args.quick && model !== 'lenet');
      if (args.backends.includes('webgpu') && (!args.quick || model === 'lenet')) stock(model, 'webgpu-stock', false);
      // tfjs cpu's own convolutions take minutes a step on the larger networks: LeNet only.
      if (args.backends.includes('cpu') && model === 'lenet') stock(model, 'cpu-stock', false);
    }
  }
  return out;
}
