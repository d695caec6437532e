import { loadCpu, loadWasm, loadWebgl } from './common_loaders.js';
import { type GpuLike, makeWebgpuLoader } from './webgpu/webgpu_loader.js';
import { BackendUnavailableError, type BackendLoader, type BackendName } from './types.js';

/** Browsers: WebGPU, then WebGL, then WASM, then CPU. */
export const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export const LOADERS: Record<BackendName, BackendLoader> = {
  tensorflow: async () => {
    throw new BackendUnavailableError('tensorflow', 'tfjs-node-gpu runs only in Node.js, not in a browser');
  },
  webgpu: makeWebgpuLoader(async () => {
    const gpu = (globalThis.navigator as unknown as { gpu?: unknown } | undefined)?.gpu;
    if (!gpu) throw new BackendUnavailableError('webgpu', 'this browser has no navigator.gpu (WebGPU disabled or unsupported)');
    return { gpu: gpu as GpuLike };
  }),
  webgl: loadWebgl,
  wasm: loadWasm,
  cpu: loadCpu,
};
