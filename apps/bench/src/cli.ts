/**
 * `pnpm bench`: convnets vs tfjs-layers vs PyTorch on this machine's CPU. Each
 * tfjs (model, backend, impl) round runs in its own child process (src/worker.ts) so its peak
 * RSS and kernel registry are its own; PyTorch rounds go to one interop/bench_torch.py --serve
 * worker per network. The rounds of a network's rows take turns (src/plan.ts).
 */
import os from 'node:os';
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
import { planRuns, type Run } from './plan.js';
import { torchVersion, TorchWorker } from './pytorch.js';
import { mergeRounds } from './rounds.js';
import { REPO_ROOT } from './paths.js';
import { formatRatios, formatTable, markdownReport, targets } from './report.js';
import { RESULT_PREFIX, type BenchRow, type KernelTime } from './row.js';
import { MODEL_SPECS } from './suite.js';

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

interface Measured {
  results: RowResult[];
  failed?: BenchRow;
  run: Run;
}

/** The row of all of a key's rounds (a failed round's note kept), or null if nothing ran. */
function mergedRow({ results, failed, run }: Measured): BenchRow | null {
  if (!results.length) return failed ?? null;
  const { row } = mergeRounds(results, run.partners);
  if (failed) row.note = [row.note, `a later round ${failed.note}`].filter(Boolean).join('; ');
  return row;
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
  const loadAtStart = os.loadavg();
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const profiles: string[] = [];
  const unavailable = new Map<string, string>();
  // null: python3-torch is not installed
  let torchVersionText: string | null = 'not run (--impl)';
  if (args.impls.includes('pytorch')) {
    const t = await torchVersion();
    torchVersionText = t.version;
    if (!t.version) {
      notes.push(`PyTorch rows omitted: ${t.why ?? 'no torch'}`);
      log(notes[notes.length - 1]!);
    }
  }
  const runs = planRuns(args, { pytorch: torchVersionText != null && args.impls.includes('pytorch') });
  log(`bench: ${runs.length} runs (${args.rounds} rounds a network)${args.quick ? ' (quick)' : ''}`);
  // First, while nothing else runs.
  const ceilings = await measureCeilings({ wasmThreads: defaultWasmThreads(), wasm: args.backends.includes('wasm'), pytorch: torchVersionText != null && args.impls.includes('pytorch') });
  for (const l of ceilingLines([], ceilings)) log(l);
  // Rounds of one row are merged once all have run; a row whose round failed runs no more rounds.
  const byKey = new Map<string, Measured>();
  const lastRunOf = new Map(runs.map((r, i) => [r.req.model, i] as const));
  // One PyTorch worker a network, ended after the network's last PyTorch round.
  const lastTorchRun = new Map(runs.flatMap((r, i) => (r.kind === 'pytorch' ? [[r.req.model, i] as const] : [])));
  const workers = new Map<string, TorchWorker>();
  const measure = async (i: number, run: Run): Promise<void> => {
    const { req } = run;
    const backend = run.kind === 'tfjs' ? run.req.backend : 'cpu';
    const label = `[${i + 1}/${runs.length}] ${req.model} ${backend} ${run.kind === 'tfjs' ? run.req.impl : 'pytorch'} b${req.batchSize}${run.rounds > 1 ? ` round ${run.round + 1}/${run.rounds}` : ''}`;
    const base = backend.replace(/-stock$/, '');
    if (run.kind === 'tfjs' && unavailable.has(base)) return;
    const entry = byKey.get(run.key) ?? { results: [], run };
    byKey.set(run.key, entry);
    const t0 = performance.now();
    let outcome: ChildOutcome | undefined;
    if (!entry.failed) {
      if (run.kind === 'tfjs') outcome = await runChild(run.req, run.timeoutMs);
      else {
        const worker = workers.get(run.req.model) ?? new TorchWorker(log);
        workers.set(run.req.model, worker);
        outcome = await worker.measure(run.req, run.timeoutMs);
      }
    }
    if (run.kind === 'pytorch' && lastTorchRun.get(run.req.model) === i) {
      await workers.get(run.req.model)?.close();
      workers.delete(run.req.model);
    }
    if (!outcome) return;
    const secs = ((performance.now() - t0) / 1000).toFixed(0);
    if ('unavailable' in outcome) {
      unavailable.set(base, outcome.unavailable);
      byKey.delete(run.key);
      notes.push(`${base}: skipped — ${outcome.unavailable}`);
      log(`${label}: backend unavailable: ${outcome.unavailable}`);
      return;
    }
    if ('failed' in outcome) {
      const spec = MODEL_SPECS[req.model];
      entry.failed = {
        model: req.model, backend, impl: run.kind === 'tfjs' ? run.req.impl : 'pytorch', batchSize: req.batchSize, inputSize: spec.inputSize,
        trainImgPerSec: null, inferImgPerSec: null, gflops: null, peakBytes: null, note: outcome.failed,
      };
      log(`${label}: ${outcome.failed} [${secs} s]`);
      return;
    }
    entry.results.push(outcome.result);
    log(`${label}: ${describe(outcome.result.row)} [${secs} s]`);
    if (outcome.result.kernels) {
      const text = formatKernels(`${req.model} ${backend} ${run.kind === 'tfjs' ? run.req.impl : 'pytorch'} b${req.batchSize}`, outcome.result.kernels);
      profiles.push(text);
      log(text);
    }
    if ('gpuProfile' in outcome.result && outcome.result.gpuProfile) {
      const text = formatGpuProfile(`${req.model} ${backend} ${run.kind === 'tfjs' ? run.req.impl : 'pytorch'} b${req.batchSize}`, outcome.result.gpuProfile);
      profiles.push(text);
      log(text);
    }
  };
  for (const [i, run] of runs.entries()) {
    await measure(i, run);
    // A network's ratios as soon as its rounds are done (a long run can be read as it goes).
    if (lastRunOf.get(run.req.model) === i && runs.filter((r) => r.req.model === run.req.model).length > 1) {
      const done = [...byKey.values()].filter((e) => e.run.req.model === run.req.model).map(mergedRow).filter((r): r is BenchRow => r != null);
      log(formatRatios(done));
    }
  }
  for (const entry of byKey.values()) {
    const row = mergedRow(entry);
    if (!row) continue;
    rows.push(row);
    if (entry.results.length > 1) log(`${row.model} ${row.backend} ${row.impl}, ${entry.results.length} rounds: ${describe(row)}`);
  }
  // GFLOP/s for PyTorch from the same FLOP count as the convnets/tfjs-layers rows of the model.
  for (const r of rows.filter((x) => x.impl === 'pytorch')) {
    const ref = rows.find((x) => x.model === r.model && x.impl !== 'pytorch' && x.gflops != null && x.trainImgPerSec);
    if (ref?.gflops != null && ref.trainImgPerSec && r.trainImgPerSec != null) r.gflops = (ref.gflops / ref.trainImgPerSec) * r.trainImgPerSec;
  }

  const seconds = (performance.now() - started) / 1000;
  const machine = machineInfo(torchVersionText, loadAtStart);
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
    await writeFileAtomic(out, markdownReport({ rows, machine, quick: args.quick, command, notes, seconds, chartFile, ceilings, rounds: args.rounds, subset: args.subset }));
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
