import '#register-gradients';

export * from './random.js';
export * from './parameter.js';
export * from './module.js';
export * from './init.js';
export * from './apply_init.js';
export * from './safetensors.js';
export * from './state_dict.js';
export * from './weights.js';
export * from './memory.js';
export * from '../../backends/src/types.js';
export { useBackend, currentBackend } from '../../backends/src/use_backend.js';
export { setBackendChecked } from '../../backends/src/set_backend_checked.js';
export { describeAdapter } from '../../backends/src/webgpu/webgpu_loader.js';
export { registerTrainingKernels, trainingKernelNames } from '../../backends/src/training_kernels.js';
export { fusedAdamStep, type AdamStepScalars } from '../../backends/src/wasm/fused_adam.js';
export { activationBiasGrad } from '../../backends/src/wasm/activation_bias_grad.js';
export { silenceCpuBanner } from '../../backends/src/set_backend_checked.js';
