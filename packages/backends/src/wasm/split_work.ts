import { helperThreads } from '#helper-threads';
import { type WasmBackendInternals, type WasmBuilds, wasmModule, wasmThreadCount } from './instance.js';

/** Multiply-adds worth waking a helper thread for (~0.1 ms of work). */
const MIN_MACS_PER_THREAD = 1 << 22;

/** A hand-written loop's work cut into ranges of its units (rows, images), one per thread. */
export interface WorkSplit {
  readonly parts: number;
  /** Part t's units: [start, end). */
  range(t: number): [number, number];
  /** Calls `loop` with args[t] for every part: part 0 on this thread, the others on helper workers. */
  run(loop: (...args: number[]) => void, args: readonly (readonly number[])[]): void;
}

/**
 * How the export `name` of `builds` splits `units` worth `macs` multiply-adds: over this thread
 * and the helper workers (Node, threaded tfjs-wasm: XNNPACK's pthreads sleep while our loops
 * run), at most `maxParts` parts, and one only where a part would be too small to pay.
 */
export function splitWork(backend: WasmBackendInternals, builds: WasmBuilds, name: string, units: number, macs: number, maxParts: number): WorkSplit {
  const memory = backend.wasm.wasmMemory;
  const helpers = memory ? helperThreads(memory, wasmModule(builds, true), name, wasmThreadCount(backend) - 1) : undefined;
  const parts = Math.max(1, Math.min(1 + (helpers?.count ?? 0), Math.floor(macs / MIN_MACS_PER_THREAD), maxParts));
  return {
    parts,
    range: (t) => [Math.floor((units * t) / parts), Math.floor((units * (t + 1)) / parts)],
    run(loop, args) {
      const own = () => loop(...args[0]!);
      if (parts > 1) helpers!.run(args.slice(1), own);
      else own();
    },
  };
}
