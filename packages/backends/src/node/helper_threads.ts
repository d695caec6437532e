import { Worker } from 'node:worker_threads';
import type { HelperThreads } from '../wasm/helper_threads_types.js';

// A hand-written wasm loop runs on the calling thread while XNNPACK's pthreads sleep. These
// workers instantiate the same module on tfjs-backend-wasm's shared memory and run one export
// on their share of the work, so the loop gets every core that XNNPACK does.
//
// ctl (Int32Array on a SharedArrayBuffer): [0] state, [1] ready, [2..] the call's arguments.
const IDLE = 0;
const POSTED = 1;
const DONE = 2;
const FAILED = 3;
const MAX_ARGS = 30;
const START_TIMEOUT_MS = 10_000;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { memory, module, name, ctl: sab } = workerData;
const ctl = new Int32Array(sab);
const run = new WebAssembly.Instance(module, { env: { memory } }).exports[name];
Atomics.store(ctl, 1, 1);
Atomics.notify(ctl, 1);
for (;;) {
  let state;
  while ((state = Atomics.load(ctl, 0)) !== ${POSTED}) Atomics.wait(ctl, 0, state);
  try {
    run(...ctl.subarray(3, 3 + ctl[2]));
    Atomics.store(ctl, 0, ${DONE});
  } catch {
    Atomics.store(ctl, 0, ${FAILED});
  }
  Atomics.notify(ctl, 0);
}
`;

class Helper {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(4 * (3 + MAX_ARGS)));
  private readonly worker: Worker;

  constructor(memory: WebAssembly.Memory, module: WebAssembly.Module, name: string) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { memory, module, name, ctl: this.ctl.buffer } });
    this.worker.unref();
  }

  /** Waits (blocking) until the worker has instantiated the module; false after the timeout. */
  ready(): boolean {
    Atomics.wait(this.ctl, 1, 0, START_TIMEOUT_MS);
    return Atomics.load(this.ctl, 1) === 1;
  }

  post(args: readonly number[]): void {
    if (args.length > MAX_ARGS) throw new Error(`helper threads take at most ${MAX_ARGS} arguments`);
    this.ctl[2] = args.length;
    this.ctl.set(args, 3);
    Atomics.store(this.ctl, 0, POSTED);
    Atomics.notify(this.ctl, 0);
  }

  /** Blocks until the posted call returns; false if it threw. */
  join(): boolean {
    while (Atomics.load(this.ctl, 0) === POSTED) Atomics.wait(this.ctl, 0, POSTED);
    const ok = Atomics.load(this.ctl, 0) === DONE;
    Atomics.store(this.ctl, 0, IDLE);
    return ok;
  }

  terminate(): void {
    void this.worker.terminate();
  }
}

const pools = new WeakMap<WebAssembly.Memory, WeakMap<WebAssembly.Module, Map<string, Helper[] | null>>>();
let started = 0;

/** How many helper workers this process has started (they live as long as it does). */
export function helperThreadsStarted(): number {
  return started;
}

/**
 * `count` worker threads that run the export `name` of `module` on `memory` (which
 * must be shared): undefined where they cannot start. Started once per memory, module and export.
 */
export function helperThreads(memory: WebAssembly.Memory, module: WebAssembly.Module, name: string, count: number): HelperThreads | undefined {
  if (count < 1 || !(memory.buffer instanceof SharedArrayBuffer)) return undefined;
  let byModule = pools.get(memory);
  if (!byModule) pools.set(memory, (byModule = new WeakMap()));
  let byName = byModule.get(module);
  if (!byName) byModule.set(module, (byName = new Map()));
  const key = `${name}/${count}`;
  let helpers = byName.get(key);
  if (helpers === undefined) {
    try {
      helpers = Array.from({ length: count }, () => new Helper(memory, module, name));
      if (helpers.every((h) => h.ready())) {
        started += helpers.length;
      } else {
        for (const h of helpers) h.terminate();
        helpers = null;
      }
    } catch {
      helpers = null;
    }
    byName.set(key, helpers);
  }
  if (!helpers) return undefined;
  const pool = helpers;
  return {
    count: pool.length,
    run(callsArgs, own) {
      pool.forEach((h, i) => h.post(callsArgs[i]!));
      let failure: unknown;
      try {
        own();
      } catch (e) {
        failure = e;
      }
      const ok = pool.map((h) => h.join()).every(Boolean);
      if (failure) throw failure;
      if (!ok) throw new Error(`convnets: a helper thread's ${name} failed`);
    },
  };
}
