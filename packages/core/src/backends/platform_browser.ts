import { loadCpu, loadWasm, loadWebgl } from '../backends/common_loaders.js';
import { probeWebglRenderer } from '../backends/software_adapter.js';
import { type GpuLike, makeWebgpuLoader } from '../backends/webgpu_loader.js';
import { BackendUnavailableError, type BackendLoader, type BackendName } from '../backends/types.js';

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
  webgl: async (opts) => {
    // auto: a software renderer (SwiftShader, llvmpipe) trains slower than wasm.
    const renderer = opts.requireHardwareAdapter ? probeWebglRenderer() : null;
    if (renderer?.software) {
      throw new BackendUnavailableError('webgl', `only a software renderer is available (${renderer.renderer}), slower than wasm; choose webgl by name to use it`);
    }
    const info = await loadWebgl(opts);
    return renderer ? { ...info, adapter: { vendor: renderer.vendor, architecture: '', description: renderer.renderer, isFallback: false } } : info;
  },
  wasm: loadWasm,
  cpu: loadCpu,
};
