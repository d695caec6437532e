import type { KernelFactory } from '../training_kernels.js';
import { nhwcOnly } from '../shared/conv_grads_via_conv.js';
import { cpuLikeKernels } from '../shared/cpu_like_kernels.js';
import { maxPoolGradFirstMax } from '../shared/max_pool_grad_first_max.js';
import { batchMatMulJs, fusedMatMulJs } from './js_batch_mat_mul.js';
import { conv2dBackpropFilterJs, conv2dBackpropInputJs, conv2dJs, fusedConv2dJs } from './js_conv2d.js';

/** tfjs cpu's convolution and matrix-product loops run 0.2-0.5 GFLOP/s: js_gemm's tiles instead. */
export const CPU_KERNELS: Record<string, KernelFactory> = {
  ...cpuLikeKernels(maxPoolGradFirstMax),
  BatchMatMul: (_, stock) => batchMatMulJs(stock!),
  _FusedMatMul: (_, stock) => fusedMatMulJs(stock!),
  Conv2D: (b, stock) => nhwcOnly('Conv2D', b, stock, conv2dJs),
  FusedConv2D: (b, stock) => nhwcOnly('FusedConv2D', b, stock, fusedConv2dJs(stock!)),
  Conv2DBackpropFilter: (b, stock) => nhwcOnly('Conv2DBackpropFilter', b, stock, conv2dBackpropFilterJs),
  Conv2DBackpropInput: (b, stock) => nhwcOnly('Conv2DBackpropInput', b, stock, conv2dBackpropInputJs),
};
