import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../training_kernels.js';
import { avgPoolGrad } from './avg_pool_grad.js';
import { sumLeadingAxes } from './sum_leading_axes.js';

/**
 * What cpu and wasm share: single-pass pooling gradients (tfjs cpu's loop over every window per
 * input cell: 1.1 s for VGG-11/8's first pool at batch 8, against ~45 ms here), Sum over
 * leading axes. The pooling gradients: the JS loops on cpu, the wasm loops first on wasm.
 */
export function cpuLikeKernels(maxPoolGrad: KernelFunc, avgPoolGradKernel: KernelFunc = avgPoolGrad): Record<string, KernelFactory> {
  return {
    MaxPoolGrad: () => maxPoolGrad,
    AvgPoolGrad: () => avgPoolGradKernel,
    Sum: (_, stock) => sumLeadingAxes(stock!),
  };
}
