import type { KernelFactory } from '../training_kernels.js';
import { conv2DBackpropFilterViaConv } from '../shared/conv_grads_via_conv.js';

/**
 * tfjs-webgpu's filter gradient is one thread per weight looping over batch x height x width:
 * a first layer (few weights, large images) runs on a handful of GPU threads.
 */
export const WEBGPU_KERNELS: Record<string, KernelFactory> = {
  Conv2DBackpropFilter: (b, stock) => conv2DBackpropFilterViaConv(b, stock),
};
