export * from './types.js';
export { useBackend, currentBackend } from './use_backend.js';
export { setBackendChecked, silenceCpuBanner } from './set_backend_checked.js';
export { describeAdapter } from './webgpu/describe_adapter.js';
export { asGpuDeviceLost, GpuDeviceLostError, webgpuDeviceLoss, type GpuDeviceLoss } from './webgpu/device_loss.js';
export { isSoftwareRenderer, probeWebglRenderer, webglRendererInfo, type WebglRendererInfo } from './software_adapter.js';
export { registerTrainingKernels, restoreStockKernels, trainingKernelNames, stockKernel } from './training_kernels.js';
