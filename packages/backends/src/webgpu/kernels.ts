import { nhwcOnly } from '../shared/conv_grads_via_conv.js';
import type { KernelFactory } from '../training_kernels.js';
import { addNWebgpu } from './add_n.js';
import { matMulWebgpu } from './batch_mat_mul.js';
import { conv2DBackpropFilterWebgpu, conv2DBackpropInputWebgpu, conv2DWebgpu, fusedConv2DWebgpu } from './conv_gemm.js';
import { maxPoolGradWebgpu } from './max_pool_grad.js';

/**
 * The convolutions: tfjs-webgpu's input gradient is a naive kernel and its filter gradient one
 * thread per weight looping over batch × height × width (a first layer runs on a handful of
 * GPU threads); ours are an implicit GEMM and, for narrow layers, a direct kernel
 * (conv_gemm.ts). Its max-pool gradient takes two dispatches and routes ties to the last
 * maximum; ours, one WGSL dispatch to the first (as PyTorch and convnets' cpu/wasm kernels).
 * Its matrix products are kept, except where its split-K program would misread a transposed B
 * (batch_mat_mul.ts): those get B transposed first. Its AddN binds every input at once, which
 * past 7 inputs is an invalid pipeline; ours adds them in passes (add_n.ts).
 */
export const WEBGPU_KERNELS: Record<string, KernelFactory> = {
  Conv2D: (b, stock) => nhwcOnly('Conv2D', b, stock, conv2DWebgpu(stock)),
  FusedConv2D: (b, stock) => nhwcOnly('FusedConv2D', b, stock, fusedConv2DWebgpu(stock)),
  Conv2DBackpropInput: (b, stock) => nhwcOnly('Conv2DBackpropInput', b, stock, conv2DBackpropInputWebgpu),
  Conv2DBackpropFilter: (b, stock) => nhwcOnly('Conv2DBackpropFilter', b, stock, conv2DBackpropFilterWebgpu),
  MaxPoolGrad: () => maxPoolGradWebgpu,
  BatchMatMul: (_, stock) => matMulWebgpu('BatchMatMul', stock),
  _FusedMatMul: (_, stock) => matMulWebgpu('_FusedMatMul', stock),
  AddN: (_, stock) => addNWebgpu(stock),
};
