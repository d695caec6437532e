import { loadCpu, loadWebgl } from '../common_loaders.js';
import { makeWebgpuLoader } from '../webgpu/webgpu_loader.js';
import type { BackendLoader, BackendName } from '../types.js';
import { loadTensorflow } from './tensorflow_loader.js';
import { nodeGpu } from './dawn.js';
import { loadWasmNode } from './wasm_threads.js';

/** Node: CUDA through tfjs-node-gpu, then WebGPU on a hardware adapter, then WASM, then CPU. */
export const AUTO_ORDER: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

export const LOADERS: Record<BackendName, BackendLoader> = {
  tensorflow: loadTensorflow,
  webgpu: makeWebgpuLoader(nodeGpu),
  webgl: loadWebgl,
  wasm: loadWasmNode,
  cpu: loadCpu,
};
