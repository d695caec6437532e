import { importBackend } from '../import_backend.js';
import { BackendUnavailableError, type BackendLoader, type BackendName } from '../types.js';
import { makeWebgpuLoader } from '../webgpu/webgpu_loader.js';
import { nodeGpu } from './dawn.js';

/** Node: CUDA through tfjs-node-gpu, then WebGPU on a hardware adapter, then WASM, then CPU. */
export const AUTO_ORDER: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

// Each backend's subpath is imported only when it is tried: a process on wasm loads no Dawn.
export const LOADERS: Record<BackendName, BackendLoader> = {
  tensorflow: async (opts) => (await import('../tensorflow/index.js')).loadTensorflow(opts),
  webgpu: makeWebgpuLoader(nodeGpu, () => importBackend('webgpu', () => import('../webgpu/index.js'))),
  webgl: async () => {
    throw new BackendUnavailableError('webgl', 'no canvas here (WebGL needs a browser)');
  },
  wasm: async (opts) => (await import('./wasm_threads.js')).loadWasmNode(opts),
  cpu: async (opts) => (await importBackend('cpu', () => import('../cpu/index.js'))).loadCpu(opts),
};
