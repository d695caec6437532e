import '@tensorflow/tfjs-backend-webgpu';
import { registerDeviceErrors, registerFusedAdamStep } from '@convnets/core';
import { defineTrainingKernels } from '../training_kernels.js';
import { BackendUnavailableError } from '../types.js';
import { takeWebgpuErrors } from './device_errors.js';
import { fusedAdamStepWebgpu } from './fused_adam.js';
import { WEBGPU_KERNELS } from './kernels.js';
import { type GpuLike, makeWebgpuLoader } from './webgpu_loader.js';

defineTrainingKernels('webgpu', WEBGPU_KERNELS);
registerFusedAdamStep('webgpu', fusedAdamStepWebgpu);
registerDeviceErrors('webgpu', takeWebgpuErrors);

/**
 * Makes tfjs run on WebGPU through navigator.gpu (browsers; in Node, useBackend('webgpu')
 * reaches Dawn instead), with the kernels registered above.
 */
export const loadWebgpu = makeWebgpuLoader(
  async () => {
    const gpu = (globalThis.navigator as unknown as { gpu?: unknown } | undefined)?.gpu;
    if (!gpu) throw new BackendUnavailableError('webgpu', 'this browser has no navigator.gpu (WebGPU disabled or unsupported)');
    return { gpu: gpu as GpuLike };
  },
  async () => undefined,
);

export { describeAdapter } from './describe_adapter.js';
