import { importBackend } from './import_backend.js';
import { probeWebglRenderer } from './software_adapter.js';
import { BackendUnavailableError, SOFTWARE_GPU_ONLY, type BackendLoader, type BackendName } from './types.js';

/** Browsers: WebGPU, then WebGL, then WASM, then CPU. */
export const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

// Each backend's subpath is imported only when it is tried: bundlers put each in its own chunk.
export const LOADERS: Record<BackendName, BackendLoader> = {
  tensorflow: async () => {
    throw new BackendUnavailableError('tensorflow', 'tfjs-node-gpu runs only in Node.js, not in a browser');
  },
  webgpu: async (opts) => (await importBackend('webgpu', () => import('./webgpu/index.js'))).loadWebgpu(opts),
  webgl: async (opts) => {
    // auto: a software renderer (SwiftShader, llvmpipe) trains slower than wasm.
    const renderer = opts.requireHardwareAdapter ? probeWebglRenderer() : null;
    if (renderer?.software) {
      throw new BackendUnavailableError('webgl', `only a software renderer is available (${renderer.renderer}), slower than wasm; choose webgl by name to use it`, SOFTWARE_GPU_ONLY);
    }
    const info = await (await importBackend('webgl', () => import('./webgl/index.js'))).loadWebgl(opts);
    return renderer ? { ...info, adapter: { vendor: renderer.vendor, architecture: '', description: renderer.renderer, isFallback: false } } : info;
  },
  wasm: async (opts) => (await importBackend('wasm', () => import('./wasm/index.js'))).loadWasm(opts),
  cpu: async (opts) => (await importBackend('cpu', () => import('./cpu/index.js'))).loadCpu(opts),
};
