import '@tensorflow/tfjs-backend-cpu';
import { registerActivationBiasGrad, registerFusedAdamStep } from '@convnets/core';
import { setBackendChecked } from '../set_backend_checked.js';
import { defineTrainingKernels } from '../training_kernels.js';
import type { BackendLoader } from '../types.js';
import { activationBiasGradCpu } from './activation_bias_grad.js';
import { fusedAdamStepCpu } from './fused_adam.js';
import { CPU_KERNELS } from './kernels.js';

defineTrainingKernels('cpu', CPU_KERNELS);
registerFusedAdamStep('cpu', fusedAdamStepCpu);
registerActivationBiasGrad('cpu', activationBiasGradCpu);

/** Makes tfjs run on cpu (tfjs-backend-cpu with the kernels registered above). */
export const loadCpu: BackendLoader = async () => {
  await setBackendChecked('cpu');
  return { name: 'cpu' };
};
