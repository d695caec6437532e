import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/**
 * AddN on webgpu in passes of at most (maxStorageBuffersPerShaderStage − 1) inputs, each pass
 * tfjs-webgpu's own kernel, the running sum first in the next. tfjs-webgpu 4.22 binds every
 * input in one shader, so 8 or more inputs on a device with the default limit of 8 storage
 * buffers (tfjs requests no more) make an invalid pipeline: Dawn drops the whole command buffer
 * it was recorded in, and the sum and up to 14 other kernels' outputs come back as stale memory,
 * with no error raised. clipGradNorm's global norm over LeNet's 10 gradients was 0 that way.
 * The sum keeps tfjs's left-to-right order.
 */
export function addNWebgpu(stock: KernelFunc | undefined): KernelFunc {
  if (!stock) throw new Error('convnets webgpu: tfjs-backend-webgpu has no AddN kernel to wrap');
  return (args) => {
    const inputs = args.inputs as unknown as TensorInfo[];
    const backend = args.backend as WebGPUBackend;
    const most = Math.max(2, backend.device.limits.maxStorageBuffersPerShaderStage - 1);
    if (inputs.length <= most) return stock(args);
    let sum = stock({ ...args, inputs: inputs.slice(0, most) as never }) as TensorInfo;
    for (let i = most; i < inputs.length; i += most - 1) {
      const next = stock({ ...args, inputs: [sum, ...inputs.slice(i, i + most - 1)] as never }) as TensorInfo;
      backend.disposeData(sum.dataId);
      sum = next;
    }
    return sum;
  };
}
