import type { DataId, DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { wasmSimdBuild } from './simd_build.js';

/** What tfjs-backend-wasm has beyond KernelBackend that the hand-written modules use. */
export interface WasmBackendInternals extends KernelBackend {
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  getMemoryOffset(dataId: DataId): number;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/**
 * A module assembled by scripts/gen-wasm.mjs for threaded tfjs (shared memory) and not, each
 * also as a relaxed-SIMD build where the module has multiply-adds to fuse.
 */
export interface WasmBuilds {
  SHARED_MEMORY: string;
  OWN_MEMORY: string;
  RELAXED_SHARED_MEMORY?: string;
  RELAXED_OWN_MEMORY?: string;
}

let warned = false;
const instances = new WeakMap<WebAssembly.Memory, WeakMap<WebAssembly.Module, WebAssembly.Exports>>();

/** Says once, on the console, why the SIMD kernels are off on a wasm backend. */
function warnOnce(why: string): undefined {
  if (!warned) console.warn(`convnets: ${why}: its SIMD training kernels are off, training on wasm is slower`);
  warned = true;
  return undefined;
}

/** The backend as tfjs-backend-wasm, or undefined for any other backend. */
export function asWasmBackend(backend: KernelBackend): WasmBackendInternals | undefined {
  const b = backend as Partial<WasmBackendInternals>;
  if (!b.wasm) return undefined;
  return typeof b.getMemoryOffset === 'function' && typeof b.makeOutput === 'function' && typeof b.typedArrayFromHeap === 'function'
    ? (backend as WasmBackendInternals)
    : warnOnce('this tfjs-backend-wasm has no getMemoryOffset/makeOutput/typedArrayFromHeap');
}

/**
 * The exports of `builds` instantiated on tfjs-backend-wasm's own memory (`wasmMemory` when
 * threaded, `asm.memory` otherwise), so that its functions work on tensors in place, at their
 * getMemoryOffset. Undefined where the memory cannot be reached.
 */
export function wasmExports<T>(backend: WasmBackendInternals, builds: WasmBuilds): T | undefined {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return warnOnce("tfjs-backend-wasm's memory is not reachable (wasmMemory, asm.memory)");
  let byModule = instances.get(memory);
  if (!byModule) instances.set(memory, (byModule = new WeakMap()));
  const module = wasmModule(builds, isShared(memory));
  let exports = byModule.get(module);
  if (!exports) {
    exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    byModule.set(module, exports);
  }
  return exports as T;
}

const isShared = (memory: WebAssembly.Memory) => typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;

const modules = new Map<string, WebAssembly.Module>();

/**
 * The compiled module, one per build (relaxed SIMD where wasmSimdBuild() says so and the module
 * has such a build): helper threads instantiate this same object, so they share V8's optimized
 * code instead of each starting again from its baseline compiler.
 */
export function wasmModule(builds: WasmBuilds, shared: boolean): WebAssembly.Module {
  const relaxed = wasmSimdBuild() === 'relaxed-simd' ? (shared ? builds.RELAXED_SHARED_MEMORY : builds.RELAXED_OWN_MEMORY) : undefined;
  const base64 = relaxed ?? (shared ? builds.SHARED_MEMORY : builds.OWN_MEMORY);
  let module = modules.get(base64);
  if (!module) {
    module = new WebAssembly.Module(Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0)));
    modules.set(base64, module);
  }
  return module;
}

/** Threads of the backend's thread pool (1 where tfjs-wasm is not threaded). */
export function wasmThreadCount(backend: WasmBackendInternals): number {
  const tfjs = (backend.wasm as { tfjs?: { getThreadsCount?: () => number } }).tfjs;
  return Math.max(1, tfjs?.getThreadsCount?.() ?? 1);
}
