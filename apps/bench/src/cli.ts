/**
 * `pnpm bench`: convnets vs tfjs-layers vs PyTorch on this machine's CPU. Each
 * (model, backend, impl) runs in its own child process (src/worker.ts) so its peak RSS and
 * kernel registry are its own; PyTorch rows come from interop/bench_torch.py.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@convnets/core/node';
import { defaultWasmThreads } from '@convnets/backends/node';
import { parseBenchArgs, USAGE, type BenchArgs } from './args.js';
import { formatGpuProfile } from './profile.js';
import { ceilingLines, measureCeilings } from './ceilings.js';
import { trainingChartSvg } from './chart.js';
import { machineInfo } from './machine.js';
import type { RowRequest, RowResult } from './measure.js';
import { runPytorch } from './pytorch.js';
import { mergeRounds, PAIRED, roundOrder, stepsPerRound } from './rounds.js';
import { REPO_ROOT } from './paths.js';
import { formatRatios, formatTable, markdownReport, targets } from './report.js';
import { RESULT_PREFIX, type BenchBackend, type BenchRow, type KernelTime } from './row.js';
import { defaultSteps, MODEL_SPECS, type BenchModel } from './suite.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.ts');
const log = (msg: string) => process.stderr.write(`${msg}\n`);

type ChildOutcome = { result: RowResult } | { unavailable: string } | { failed: string };

function runChild(req: RowRequest, timeoutMs: number): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    // Same loader flags as this process (--conditions=@convnets/source --import tsx).
    const child = spawn(process.execPath, [...process.execArgv, WORKER, JSON.stringify(req)], {
      cwd: path.dirname(WORKER),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, EGL_PLATFORM: process.env.EGL_PLATFORM ?? 'surfaceless' },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (line) {
        const parsed = JSON.parse(line.slice(RESULT_PREFIX.length)) as RowResult | { unavailable: string };
        resolve('unavailable' in parsed ? parsed : { result: parsed });
        return;
      }
      const why = timedOut
        ? `timed out after ${Math.round(timeoutMs / 1000)} s`
        : `exited ${code ?? signal}: ${stderr.trim().split('\n').filter(Boolean).slice(-1)[0]?.slice(0, 200) ?? ''}`;
      resolve({ failed: why });
    });
  });
}

interface Plan {
  req: RowRequest;
  timeoutMs: number;
  /** Rounds of one row share a key and are merged into one row. */
  key: string;
}

function plan(args: BenchArgs): Plan[] {
  const out: Plan[] = [];
  const tfImpls = args.impls.filter((i) => i !== 'pytorch') as RowRequest['impl'][];
  const add = (model: BenchModel, backend: BenchBackend, impl: RowRequest['impl'], { skipInfer = false, rounds = 1, round = 0 } = {}) => {
    const spec = MODEL_SPECS[model];
    const d = defaultSteps(spec, args.quick);
    const rowBudgetS = args.budget ?? (args.quick ? 60 : 600);
    const budgetS = Math.max(1, Math.round(rowBudgetS / rounds));
    out.push({
      req: {
        model, backend, impl,
        batchSize: args.batchSize ?? (args.quick ? spec.quickBatchSize : backend.startsWith('cpu') ? spec.cpuBatchSize : spec.batchSize),
        warmup: args.warmup ?? d.warmup,
        steps: stepsPerRound(args.steps ?? d.steps, rounds),
        profile: args.profile && round === 0,
        budgetS,
        skipInfer,
      },
      // The first step always runs; a row that cannot finish one step in 3x its budget is cut.
      timeoutMs: (rowBudgetS * 3 + 60) * 1000,
      key: `${model}|${backend}|${impl}`,
    });
  };
  for (const model of args.models) {
    for (const backend of args.backends) {
      // Under --quick the slow backends run LeNet only: webgpu is llvmpipe here, and cpu is one
      // JS thread at ~3 GFLOP/s (an AlexNet step at batch 8 takes ~20 s).
      if ((backend === 'webgpu' || backend === 'cpu') && args.quick && model !== 'lenet') continue;
      const paired = PAIRED.every((i) => tfImpls.includes(i)) && args.rounds > 1;
      if (paired) {
        roundOrder(PAIRED, args.rounds).forEach((impls, round) => {
          for (const impl of impls) add(model, backend, impl, { rounds: args.rounds, round });
        });
      }
      for (const impl of tfImpls) if (!paired || !PAIRED.includes(impl)) add(model, backend, impl);
    }
  }
  if (args.stock && tfImpls.includes('tfjs-layers')) {
    for (const model of args.models) {
      if (args.backends.includes('wasm')) add(model, 'wasm-stock', 'tfjs-layers', { skipInfer: args.quick && model !== 'lenet' });
      // tfjs cpu's own convolutions take minutes a step on the larger networks: LeNet only.
      if (args.backends.includes('cpu') && model === 'lenet') add(model, 'cpu-stock', 'tfjs-layers');
    }
  }
  return out;
}

function describe(r: BenchRow): string {
  const f = (x: number | null | undefined) => (x == null ? 'n/a' : x.toFixed(1));
  return `train ${f(r.trainImgPerSec)} img/s, infer ${f(r.inferImgPerSec)} img/s, ${f(r.gflops)} GFLOP/s${r.note ? ` (${r.note})` : ''}`;
}

function formatKernels(title: string, kernels: KernelTime[]): string {
  const total = kernels.reduce((s, k) => s + k.ms, 0);
  return [`top kernels, ${title} (one training step, kernelMs):`, ...kernels.map((k) => `  ${k.name.padEnd(24)} ${k.ms.toFixed(1).padStart(9)} ms  ${String(k.calls).padStart(4)} calls  ${((100 * k.ms) / (total || 1)).toFixed(0).padStart(3)}% of top 10`)].join('\n');
}

async function main(): Promise<number> {
  console.log = console.error; // only our own output goes to stdout
  console.info = console.error;
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    log(`bench: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const started = performance.now();
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const profiles: string[] = [];
  const unavailable = new Map<string, string>();
  const plans = plan(args);
  log(`bench: ${plans.length} tfjs rows${args.impls.includes('pytorch') ? ' + PyTorch' : ''}${args.quick ? ' (quick)' : ''}`);
  // First, while nothing else runs.
  const ceilings = await measureCeilings({ wasmThreads: defaultWasmThreads(), wasm: args.backends.includes('wasm'), pytorch: args.impls.includes('pytorch') });
  for (const l of ceilingLines([], ceilings)) log(l);
  // Rounds of one row are merged once all have run; a row whose round failed runs no more rounds.
  const byKey = new Map<string, { results: RowResult[]; failed?: BenchRow }>();
  for (const [i, p] of plans.entries()) {
    const { req } = p;
    const label = `[${i + 1}/${plans.length}] ${req.model} ${req.backend} ${req.impl} b${req.batchSize}`;
    const base = req.backend.replace(/-stock$/, '');
    if (unavailable.has(base)) continue;
    const entry = byKey.get(p.key) ?? { results: [] };
    byKey.set(p.key, entry);
    if (entry.failed) continue;
    const t0 = performance.now();
    const outcome = await runChild(req, p.timeoutMs);
    const secs = ((performance.now() - t0) / 1000).toFixed(0);
    if ('unavailable' in outcome) {
      unavailable.set(base, outcome.unavailable);
      byKey.delete(p.key);
      notes.push(`${base}: skipped — ${outcome.unavailable}`);
      log(`${label}: backend unavailable: ${outcome.unavailable}`);
      continue;
    }
    if ('failed' in outcome) {
      const spec = MODEL_SPECS[req.model];
      entry.failed = {
        model: req.model, backend: req.backend, impl: req.impl, batchSize: req.batchSize, inputSize: spec.inputSize,
        trainImgPerSec: null, inferImgPerSec: null, gflops: null, peakBytes: null, note: outcome.failed,
      };
      log(`${label}: ${outcome.failed} [${secs} s]`);
      continue;
    }
    entry.results.push(outcome.result);
    log(`${label}: ${describe(outcome.result.row)} [${secs} s]`);
    if (outcome.result.kernels) {
      const text = formatKernels(`${req.model} ${req.backend} ${req.impl} b${req.batchSize}`, outcome.result.kernels);
      profiles.push(text);
      log(text);
    }
    if (outcome.result.gpuProfile) {
      const text = formatGpuProfile(`${req.model} ${req.backend} ${req.impl} b${req.batchSize}`, outcome.result.gpuProfile);
      profiles.push(text);
      log(text);
    }
  }
  for (const { results, failed } of byKey.values()) {
    if (!results.length) {
      if (failed) rows.push(failed);
      continue;
    }
    const { row } = mergeRounds(results);
    if (failed) row.note = [row.note, `a later round ${failed.note}`].filter(Boolean).join('; ');
    rows.push(row);
    if (results.length > 1) log(`${row.model} ${row.backend} ${row.impl}, ${results.length} rounds: ${describe(row)}`);
  }

  // null: python3-torch is not installed
  let torchVersionText: string | null = 'not run (--impl)';
  if (args.impls.includes('pytorch')) {
    const groups = new Map<number, string[]>();
    for (const m of args.models) {
      const spec = MODEL_SPECS[m];
      const b = args.batchSize ?? (args.quick ? spec.quickBatchSize : spec.batchSize);
      groups.set(b, [...(groups.get(b) ?? []), spec.torchName]);
    }
    const torch = await runPytorch([...groups].map(([batchSize, models]) => ({ batchSize, models })), {
      quick: args.quick, timeoutMs: (args.quick ? 600 : 1800) * 1000, onLog: log,
    });
    torchVersionText = torch.version;
    notes.push(...torch.notes);
    for (const n of torch.notes) log(n);
    for (const r of torch.rows) {
      // GFLOP/s for PyTorch from the same FLOP count as the convnets/tfjs-layers rows of the model.
      const flopsPerImg = rows.find((x) => x.model === r.model && x.gflops != null && x.trainImgPerSec);
      if (flopsPerImg?.gflops != null && flopsPerImg.trainImgPerSec) {
        r.gflops = (flopsPerImg.gflops / flopsPerImg.trainImgPerSec) * (r.trainImgPerSec ?? 0);
      }
      rows.push(r);
      log(`pytorch ${r.model} b${r.batchSize}: ${describe(r)}`);
    }
  }

  const seconds = (performance.now() - started) / 1000;
  const machine = machineInfo(torchVersionText);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    log(formatRatios(rows));
    for (const l of ceilingLines(rows, ceilings)) log(l);
  } else {
    const text = [
      `${machine.cpu}, ${machine.cores} cores; node ${machine.node}, tfjs ${machine.tfjs} (wasm ${machine.wasmThreads} threads), torch ${machine.torch ?? 'not installed'}`,
      '',
      formatTable(rows),
      '',
      ...(notes.length ? [...notes.map((n) => `note: ${n}`), ''] : []),
      ...(profiles.length ? [...profiles, ''] : []),
      formatRatios(rows),
      '',
      'targets:',
      ...targets(rows).map((l) => `  ${l}`),
      '',
      'how far from the machine:',
      ...ceilingLines(rows, ceilings).map((l) => `  ${l}`),
      '',
      `${Math.round(seconds)} s`,
    ];
    process.stdout.write(`${text.join('\n')}\n`);
  }

  // pnpm runs this in apps/bench: a relative --out is relative to where pnpm was started.
  const out = args.out ? path.resolve(process.env.INIT_CWD ?? process.cwd(), args.out) : (!args.quick && !args.subset ? path.join(REPO_ROOT, 'docs', 'benchmarks.md') : undefined);
  if (out) {
    const svgPath = out.replace(/\.md$/, '') + '.svg';
    let chartFile: string | null = null;
    try {
      const svg = await trainingChartSvg(rows, `Training images/s${args.quick ? ' (quick run)' : ''} — ${machine.cpu}, ${machine.cores} cores`);
      if (svg) {
        await writeFileAtomic(svgPath, svg);
        chartFile = path.basename(svgPath);
      }
    } catch (e) {
      notes.push(`chart not drawn: ${(e as Error).message}`);
    }
    const command = `pnpm bench ${process.argv.slice(2).join(' ')}`.trim();
    await writeFileAtomic(out, markdownReport({ rows, machine, quick: args.quick, command, notes, seconds, chartFile, ceilings }));
    log(`wrote ${path.relative(process.cwd(), out) || out}${chartFile ? ` and ${chartFile}` : ''}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
