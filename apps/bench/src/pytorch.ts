/** The PyTorch CPU comparator: interop/bench_torch.py, run in the same bench. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BENCH_TORCH, PYTHON, REPO_ROOT } from './paths.js';
import type { BenchRow } from './row.js';

export interface TorchResult {
  rows: BenchRow[];
  /** Why rows are missing (absent script, no torch, a failed model). */
  notes: string[];
  version: string | null;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: stderr + String(e) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The installed torch version, or null with why. */
export async function torchVersion(): Promise<{ version: string | null; why?: string }> {
  if (!existsSync(PYTHON)) return { version: null, why: `${PYTHON} not found` };
  const r = await run(PYTHON, ['-c', 'import torch; print(torch.__version__)'], 60_000);
  if (r.code !== 0) return { version: null, why: 'python3-torch is not installed (apt-get install -y --no-install-recommends python3-torch)' };
  return { version: r.stdout.trim() };
}

/**
 * Runs bench_torch.py for `models` (bench ids) grouped by batch size, so each PyTorch row has
 * the batch of the matching tfjs rows. `onLog` gets its stderr lines.
 */
export async function runPytorch(
  groups: { models: string[]; batchSize: number }[],
  opts: { quick: boolean; timeoutMs: number; onLog: (line: string) => void },
): Promise<TorchResult> {
  const notes: string[] = [];
  if (!existsSync(BENCH_TORCH)) return { rows: [], notes: ['PyTorch rows omitted: interop/bench_torch.py is absent'], version: null };
  const { version, why } = await torchVersion();
  if (!version) return { rows: [], notes: [`PyTorch rows omitted: ${why}`], version: null };
  const rows: BenchRow[] = [];
  for (const g of groups) {
    const args = [BENCH_TORCH, '--models', g.models.join(','), '--json', '--batch-size', String(g.batchSize)];
    if (opts.quick) args.push('--quick');
    opts.onLog(`pytorch: ${g.models.join(',')} batch ${g.batchSize}`);
    const r = await run(PYTHON, args, opts.timeoutMs);
    for (const line of r.stderr.split('\n').filter(Boolean)) opts.onLog(`  ${line}`);
    let parsed: BenchRow[] = [];
    try {
      const start = r.stdout.indexOf('[');
      parsed = start >= 0 ? (JSON.parse(r.stdout.slice(start)) as BenchRow[]) : [];
    } catch {
      notes.push(`PyTorch ${g.models.join(',')}: unreadable output (exit ${r.code})`);
    }
    for (const m of g.models) {
      if (!parsed.some((row) => row.model === m)) notes.push(`PyTorch ${m}: no row (bench_torch.py exit ${r.code ?? 'killed'})`);
    }
    rows.push(...parsed.map((row) => ({ ...row, impl: 'pytorch' as const, note: row.note ?? 'torch.set_num_threads(2)' })));
  }
  return { rows, notes, version };
}

/** What PyTorch's native kernels reach on a float32 product (bench_torch.py --peak). */
export interface NativePeak {
  size: number;
  threads: number;
  /** As a 1×1 convolution: oneDNN, the engine of PyTorch's conv layers. */
  conv1x1: number;
  /** As torch.mm: the BLAS this torch was built with. */
  mm: number;
}

/** Or why not, where PyTorch is missing or the run fails. */
export async function nativePeak(size: number): Promise<NativePeak | { unavailable: string }> {
  if (!existsSync(BENCH_TORCH)) return { unavailable: 'interop/bench_torch.py is absent' };
  const { version, why } = await torchVersion();
  if (!version) return { unavailable: why ?? 'no torch' };
  const r = await run(PYTHON, [BENCH_TORCH, '--peak', String(size)], 120_000);
  try {
    return JSON.parse(r.stdout.trim().split('\n').slice(-1)[0] ?? '') as NativePeak;
  } catch {
    return { unavailable: `bench_torch.py --peak exited ${r.code ?? 'killed'}: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}` };
  }
}
