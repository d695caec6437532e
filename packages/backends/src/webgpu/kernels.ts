import type { KernelFactory } from '../training_kernels.js';
import { conv2DBackpropFilterViaConv } from '../shared/conv_grads_via_conv.js';
import { maxPoolGradWebgpu } from './max_pool_grad.js';

/**
 * tfjs-webgpu's filter gradient is one thread per weight looping over batch x height x width:
 * a first layer (few weights, large images) runs on a handful of GPU threads. Its max-pool
 * gradient takes two dispatches and routes ties to the last maximum; ours, one WGSL dispatch
 * to the first (as PyTorch and convnets' cpu/wasm kernels).
 */
export const WEBGPU_KERNELS: Record<string, KernelFactory> = {
  Conv2DBackpropFilter: (b, stock) => conv2DBackpropFilterViaConv(b, stock),
  MaxPoolGrad: () => maxPoolGradWebgpu,
};
