import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '@convnets/core/node';
import * as tf from '@tensorflow/tfjs-core';
import { importBackend } from '../import_backend.js';
import type { BackendLoader } from '../types.js';
import { setUpWasmSimd } from './wasm_simd.js';

// tfjs-backend-wasm ships a threaded build but turns it off under Node: it hands emscripten its
// pthread worker as a Blob URL, which Node's workers cannot load. The same build runs in Node
// when the worker script comes from a file, so this module starts it that way.

const require = createRequire(import.meta.url);

/** tfjs pre-creates 8 pthread workers; the thread pool never uses more. */
export const MAX_WASM_THREADS = 8;

interface EmscriptenWorker {
  unref(): void;
}

interface ThreadedWasmModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  PThread: { runningWorkers: EmscriptenWorker[] };
  tfjs?: Record<string, (...args: number[]) => number>;
}

type ThreadedFactory = (config: { locateFile(path: string, prefix: string): string }) => Promise<ThreadedWasmModule>;

/** Every core this process may use, at most MAX_WASM_THREADS. */
export function defaultWasmThreads(): number {
  const env = process.env.CONVNETS_WASM_THREADS;
  if (env !== undefined && env !== '') return parseWasmThreads(env, 'CONVNETS_WASM_THREADS');
  return Math.min(MAX_WASM_THREADS, os.availableParallelism());
}

export function parseWasmThreads(value: string | number, source: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new Error(`${source} must be a whole number of threads from 1 to ${MAX_WASM_THREADS}, got "${value}"`);
  }
  return n;
}

async function workerScriptFile(packageDir: string): Promise<string> {
  const { wasmWorkerContents } = require(join(packageDir, 'wasm-out/tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  // The contents sit in a template literal whose '\n' escapes became newlines; tfjs escapes them
  // again before making its Blob, and so must we.
  const script = wasmWorkerContents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  // .cjs: the worker uses require and __filename, whatever package.json sits above the folder.
  const file = join(os.tmpdir(), 'convnets', `tfjs-backend-wasm-threaded-simd.${hash}.worker.cjs`);
  if (!existsSync(file)) await writeFileAtomic(file, script);
  return file;
}

/**
 * emscripten_num_logical_cores() reads os.cpus() once, when the module starts, and tfjs caps its
 * pool at half of it (one thread per physical core, it assumes). Reporting 2 × threads lets the
 * pool hold the threads asked for; os.cpus is restored as soon as the module is up.
 */
async function withLogicalCores<T>(count: number, start: () => Promise<T>): Promise<T> {
  const real = os.cpus;
  os.cpus = () => {
    const cpus = real();
    return Array.from({ length: count }, (_, i) => cpus[i % cpus.length]!);
  };
  try {
    return await start();
  } finally {
    os.cpus = real;
  }
}

/**
 * Replaces tfjs's 'wasm' backend factory with one that starts the threaded SIMD build with
 * `threads` XNNPACK threads. Kernels stay registered under 'wasm', so nothing else changes.
 */
export async function registerThreadedWasm(threads: number): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const packageDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const factory = require(join(packageDir, 'wasm-out/tfjs-backend-wasm-threaded-simd.js')) as ThreadedFactory;
  const workerFile = await workerScriptFile(packageDir);
  const wasmFile = join(packageDir, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm');

  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const module = await withLogicalCores(2 * threads, () =>
        factory({
          locateFile: (path, prefix) => (path.endsWith('.worker.js') ? workerFile : path.endsWith('.wasm') ? wasmFile : prefix + path),
        }),
      );
      module.tfjs = {
        init: module.cwrap('init', null, []),
        initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
        getThreadsCount: module.cwrap('get_threads_count', 'number', []),
        registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
        disposeData: module.cwrap('dispose_data', null, ['number']),
        dispose: module.cwrap('dispose', null, []),
      };
      wasm.setThreadsCount(threads);
      const backend = new wasm.BackendWasm(module as unknown as ConstructorParameters<typeof wasm.BackendWasm>[0]);
      // emscripten refs a worker while its pthread runs; the pool's threads run for the life of
      // the backend and must not keep the process alive after the program is done.
      for (const worker of module.PThread.runningWorkers) worker.unref();
      return backend;
    },
    2,
  );
}

let started: { requested: number; threads: number } | undefined;

/**
 * Node's wasm loader: the threaded build with `wasmThreads` threads (default: every core, or
 * CONVNETS_WASM_THREADS), or tfjs's single-threaded build for 1. If the threaded build cannot
 * start, wasm still starts on one thread and `details.threadsNote` says why. Its kernels use
 * relaxed SIMD where this Node has it, on Node 20 too (setUpWasmSimd); `details.simd` names the build.
 */
export const loadWasmNode: BackendLoader = async (opts) => {
  const { loadWasm } = await importBackend('wasm', () => import('../wasm/index.js'));
  const wanted = opts.wasmThreads === undefined ? defaultWasmThreads() : parseWasmThreads(opts.wasmThreads, 'wasmThreads');
  setUpWasmSimd();
  if (started && opts.wasmThreads !== undefined && started.requested !== wanted && tf.findBackend('wasm')) {
    // Not BackendUnavailableError: `auto` must not quietly move on to cpu over a thread count.
    throw new Error(`wasm already runs with ${started.threads} thread(s) in this process; the thread count is fixed when wasm first starts`);
  }
  let threadsNote: string | undefined;
  let info: Awaited<ReturnType<BackendLoader>> | undefined;
  if (!started && wanted > 1) {
    const stock = tf.findBackendFactory('wasm');
    try {
      await registerThreadedWasm(wanted);
      info = await loadWasm(opts);
    } catch (e) {
      threadsNote = `threads off: ${(e as Error).message}`;
      tf.removeBackend('wasm');
      if (stock) tf.registerBackend('wasm', stock, 2);
    }
  }
  info ??= await loadWasm(opts);
  started ??= { requested: wanted, threads: (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount() };
  return { ...info, details: { ...info.details, ...(threadsNote ? { threadsNote } : {}) } };
};
