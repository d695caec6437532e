import { importBackend } from './import_backend.js';
import { BackendUnavailableError, type BackendLoader, type BackendName } from './types.js';

/** Browsers: WebGPU, then WebGL, then WASM, then CPU. */
export const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

// Each backend's subpath is imported only when it is tried: bundlers put each in its own chunk.
export const LOADERS: Record<BackendName, BackendLoader> = {
  tensorflow: async () => {
    throw new BackendUnavailableError('tensorflow', 'tfjs-node-gpu runs only in Node.js, not in a browser');
  },
  webgpu: async (opts) => (await importBackend('webgpu', () => import('./webgpu/index.js'))).loadWebgpu(opts),
  webgl: async (opts) => (await importBackend('webgl', () => import('./webgl/index.js'))).loadWebgl(opts),
  wasm: async (opts) => (await importBackend('wasm', () => import('./wasm/index.js'))).loadWasm(opts),
  cpu: async (opts) => (await importBackend('cpu', () => import('./cpu/index.js'))).loadCpu(opts),
};
