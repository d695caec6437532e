import '#register-gradients';

export * from './random.js';
export * from './parameter.js';
export * from './module.js';
export * from './init.js';
export { buildShapeOnly, buildingShapeOnly } from './shape_only.js';
export * from './apply_init.js';
export * from './safetensors.js';
export * from './state_dict.js';
export * from './finite.js';
export { halfToFloat32 } from './half_float.js';
export * from './weights.js';
export * from './memory.js';
export { BackendFastPath } from './backend_fast_path.js';
export { DeviceComputeError, registerDeviceErrors, throwIfDeviceErrors, type DeviceErrors, type TakeDeviceErrors } from './device_errors.js';
export { fusedAdamStep, registerFusedAdamStep, type AdamStepScalars, type FusedAdamStep } from './fused_adam_step.js';
export { activationBiasGrad, registerActivationBiasGrad, type ActivationBiasGrad, type FusedActivation } from './activation_bias_grad.js';
