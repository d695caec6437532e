/**
 * Shared plumbing for the PyTorch cross-checks: running interop/check.py with Debian's
 * /usr/bin/python3, temp files under os.tmpdir(), safetensors inputs, and tolerant comparison.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeSafetensors, type TensorEntry } from '@convnets/core';
import { requireSystem } from '@convnets/vitest-config';

export const PYTHON = '/usr/bin/python3';
export const INTEROP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(INTEROP_DIR, '..');
export const CHECK_PY = join(INTEROP_DIR, 'check.py');
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Whether /usr/bin/python3 can import torch and numpy (a skip line, or a failure in CI, when not). */
export const TORCH = await requireSystem('torch', 'the PyTorch cross-checks (test/*_test.ts)');

/** A describe() title that says why the block is skipped, when it is. */
export function titled(title: string): string {
  return TORCH.ok ? title : `${title} (skipped: ${TORCH.reason})`;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Long enough for PyTorch's slowest check on a loaded 2-core machine; then the child is killed. */
export const PROCESS_TIMEOUT_MS = 15 * 60_000;

/** Runs a command to completion, collecting its output (never throws on exit status); kills it after `timeoutMs`. */
export function runProcess(cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? PROCESS_TIMEOUT_MS;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? REPO_ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      stderr += `\n[killed: ${cmd} ${args.join(' ')} ran past ${timeoutMs / 1000} s]`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Runs `check.py <args>`; the raw result (for the refusal tests). */
export function runCheckRaw(args: readonly string[]): Promise<RunResult> {
  return runProcess(PYTHON, [CHECK_PY, ...args]);
}

/** Runs `check.py <args>` and parses its JSON stdout; a failure throws with its stderr. */
export async function runCheck<T>(args: readonly string[]): Promise<T> {
  const r = await runCheckRaw(args);
  if (r.code !== 0) throw new Error(`check.py ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Runs `check.py train` and parses its JSON lines. */
export async function runCheckLines<T>(args: readonly string[]): Promise<T[]> {
  const r = await runCheckRaw(args);
  if (r.code !== 0) throw new Error(`check.py ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** A fresh directory under os.tmpdir() and a function that removes it. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `convnets-interop-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function readSafetensorsFile(path: string): Record<string, TensorEntry> {
  return decodeSafetensors(new Uint8Array(readFileSync(path)), path).tensors;
}

/** The values of a safetensors entry, as float64 (F64 files keep their precision). */
export function floats(entry: TensorEntry | undefined, name = 'tensor'): Float64Array {
  if (!entry) throw new Error(`${name} is missing`);
  if (entry.data instanceof BigInt64Array) return Float64Array.from(entry.data, Number);
  return Float64Array.from(entry.data as ArrayLike<number>);
}

export interface Diff {
  /** max |a - b|. */
  maxAbs: number;
  /** max |b| (the reference's scale). */
  maxRef: number;
  /** maxAbs / maxRef. */
  rel: number;
  /** maxAbs <= rel * maxRef + abs. */
  ok: boolean;
}

/** Compares `a` (ours) with `b` (PyTorch's) as max|a−b| ≤ rel·max|b| + abs. */
export function diff(a: ArrayLike<number>, b: ArrayLike<number>, rel: number, abs: number): Diff {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let maxAbs = 0;
  let maxRef = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= maxAbs)) maxAbs = d; // NaN propagates
    maxRef = Math.max(maxRef, Math.abs(b[i]));
  }
  return { maxAbs, maxRef, rel: maxRef > 0 ? maxAbs / maxRef : maxAbs, ok: maxAbs <= rel * maxRef + abs };
}

export function fmt(d: Diff): string {
  return `max|a-b| ${d.maxAbs.toExponential(2)}, max|b| ${d.maxRef.toExponential(2)}, rel ${d.rel.toExponential(2)}`;
}

/** Indices 0..n-1 (the first n examples, as check.py's --limit-train n keeps them). */
export function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}
