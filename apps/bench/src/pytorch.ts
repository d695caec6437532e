/** The PyTorch CPU comparator: interop/bench_torch.py, run in the same bench. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { median, type RowResult } from './measure.js';
import { BENCH_TORCH, PYTHON, REPO_ROOT } from './paths.js';
import { MODEL_SPECS, type BenchModel } from './suite.js';

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
  if (!existsSync(BENCH_TORCH)) return { version: null, why: 'interop/bench_torch.py is absent' };
  if (!existsSync(PYTHON)) return { version: null, why: `${PYTHON} not found` };
  const r = await run(PYTHON, ['-c', 'import torch; print(torch.__version__)'], 60_000);
  if (r.code !== 0) return { version: null, why: 'python3-torch is not installed (apt-get install -y --no-install-recommends python3-torch)' };
  return { version: r.stdout.trim() };
}

/** One PyTorch measurement: a round of a network, with the warm-up and timed steps of ours. */
export interface TorchRequest {
  model: BenchModel;
  batchSize: number;
  warmup: number;
  steps: number;
}

/** bench_torch.py --serve's answer to one request line. */
interface TorchAnswer {
  model: string;
  batchSize: number;
  inputSize: number;
  warmup: number;
  steps: number;
  trainTimes: number[];
  inferTimes: number[];
  peakBytes: number;
}

/** The thread count the bench gives PyTorch (and that its rows' notes name). */
export const TORCH_THREADS = 2;

/** A result row from a worker's answer (GFLOP/s are filled in from our rows' FLOP count). */
export function torchRow(model: BenchModel, a: TorchAnswer): RowResult {
  const rate = (times: number[]) => (times.length ? a.batchSize / median(times) : null);
  return {
    row: {
      model, backend: 'cpu', impl: 'pytorch', batchSize: a.batchSize, inputSize: a.inputSize,
      trainImgPerSec: rate(a.trainTimes), inferImgPerSec: rate(a.inferTimes), gflops: null, peakBytes: a.peakBytes,
      warmup: a.warmup, steps: a.steps, note: `torch.set_num_threads(${TORCH_THREADS})`,
    },
    trainTimes: a.trainTimes,
    inferTimes: a.inferTimes,
  };
}

/**
 * A long-lived `bench_torch.py --serve` process: one JSON request a line on its stdin, one
 * answer a line on its stdout. The bench keeps one for all the rounds of a network, so a round
 * pays no Python/torch start-up, the net trains on, oneDNN's primitives stay built, and its
 * ru_maxrss is that network's own.
 */
export class TorchWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffered = '';
  private readonly lines: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private exited: string | null = null;
  private stderrTail = '';

  constructor(onLog: (line: string) => void) {
    this.child = spawn(PYTHON, [BENCH_TORCH, '--serve', '--threads', String(TORCH_THREADS)], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (d: Buffer) => {
      this.buffered += d.toString();
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = null;
          w(line);
        } else this.lines.push(line);
      }
    });
    this.child.stderr.on('data', (d: Buffer) => {
      const text = d.toString();
      this.stderrTail = (this.stderrTail + text).slice(-2000);
      for (const l of text.split('\n').filter(Boolean)) onLog(`  pytorch: ${l}`);
    });
    const end = (why: string) => {
      this.exited ??= why;
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(null);
      }
    };
    this.child.on('error', (e) => end(String(e)));
    this.child.on('close', (code, signal) => end(`bench_torch.py --serve exited ${code ?? signal}`));
    this.child.stdin.on('error', () => undefined); // a dead worker: reported by measure()
  }

  private nextLine(timeoutMs: number): Promise<string | null> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.exited) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        this.exited ??= `timed out after ${Math.round(timeoutMs / 1000)} s`;
        this.child.kill('SIGKILL');
        resolve(null);
      }, timeoutMs);
      this.waiting = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
    });
  }

  /** Times one round; a failure is `{ failed }` in the words the table uses. */
  async measure(req: TorchRequest, timeoutMs: number): Promise<{ result: RowResult } | { failed: string }> {
    if (this.exited) return { failed: this.exited };
    this.child.stdin.write(`${JSON.stringify({ model: MODEL_SPECS[req.model].torchName, batchSize: req.batchSize, warmup: req.warmup, steps: req.steps })}\n`);
    const line = await this.nextLine(timeoutMs);
    if (line == null) {
      const last = this.stderrTail.trim().split('\n').slice(-1)[0]?.slice(0, 200) ?? '';
      return { failed: `${this.exited ?? 'no answer'}${last ? `: ${last}` : ''}` };
    }
    let answer: TorchAnswer | { error: string };
    try {
      answer = JSON.parse(line) as TorchAnswer | { error: string };
    } catch {
      return { failed: `unreadable answer from bench_torch.py --serve: ${line.slice(0, 200)}` };
    }
    if ('error' in answer) return { failed: `train failed: ${answer.error.slice(0, 160)}` };
    return { result: torchRow(req.model, answer) };
  }

  /** Ends the worker (EOF on its stdin) and waits for it to exit. */
  async close(): Promise<void> {
    if (this.exited) return;
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await closed;
    clearTimeout(timer);
  }
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
  const { version, why } = await torchVersion();
  if (!version) return { unavailable: why ?? 'no torch' };
  const r = await run(PYTHON, [BENCH_TORCH, '--peak', String(size)], 120_000);
  try {
    return JSON.parse(r.stdout.trim().split('\n').slice(-1)[0] ?? '') as NativePeak;
  } catch {
    return { unavailable: `bench_torch.py --peak exited ${r.code ?? 'killed'}: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}` };
  }
}
