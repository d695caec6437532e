import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { registerActivationBiasGrad, registerFusedAdamStep } from '@convnets/core';
import { setBackendChecked } from '../set_backend_checked.js';
import { defineTrainingKernels } from '../training_kernels.js';
import type { BackendLoader } from '../types.js';
import { activationBiasGradWasm } from './activation_bias_grad.js';
import { fusedAdamStepWasm } from './fused_adam.js';
import { WASM_KERNELS } from './kernels.js';
import { wasmSimdBuild } from './simd_build.js';

defineTrainingKernels('wasm', WASM_KERNELS);
registerFusedAdamStep('wasm', fusedAdamStepWasm);
registerActivationBiasGrad('wasm', activationBiasGradWasm);

export { forceWasmSimdBuild, relaxedSimdSupported, wasmSimdBuild, WASM_SIMD_BUILDS, type WasmSimdBuild } from './simd_build.js';

/**
 * Makes tfjs run on wasm (tfjs-backend-wasm with the kernels registered above), its .wasm
 * files served from `wasmPaths` where given. In Node, useBackend('wasm') starts the threaded
 * build instead (`@convnets/backends/node`). `details.simd`: the hand-written kernels' build
 * (relaxed-simd where the runtime has it, else simd128).
 */
export const loadWasm: BackendLoader = async (opts) => {
  if (opts.wasmPaths) wasm.setWasmPaths(opts.wasmPaths as string);
  await setBackendChecked('wasm');
  return { name: 'wasm', details: { threads: wasm.getThreadsCount(), simd: wasmSimdBuild() } };
};
