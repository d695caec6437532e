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
export * from './backends/types.js';
export { useBackend, currentBackend } from './backends/use_backend.js';
export { setBackendChecked } from './backends/set_backend_checked.js';
export { describeAdapter } from './backends/webgpu_loader.js';
export { registerTrainingKernels, trainingKernelNames } from './kernels/conv_grad_kernels.js';
export { fusedAdamStep, type AdamStepScalars } from './kernels/fused_adam.js';
export { activationBiasGrad } from './kernels/activation_bias_grad.js';
export { silenceCpuBanner } from './backends/set_backend_checked.js';
