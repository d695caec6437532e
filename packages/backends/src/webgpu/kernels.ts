import type { KernelFactory } from '../training_kernels.js';
import { conv2DBackpropFilterWebgpu, conv2DBackpropInputWebgpu, conv2DWebgpu, fusedConv2DWebgpu } from './conv_gemm.js';
import { maxPoolGradWebgpu } from './max_pool_grad.js';

/**
 * The convolutions: tfjs-webgpu's input gradient is a naive kernel and its filter gradient one
 * thread per weight looping over batch × height × width (a first layer runs on a handful of
 * GPU threads); ours are an implicit GEMM and, for narrow layers, a direct kernel
 * (conv_gemm.ts). Its max-pool gradient takes two dispatches and routes ties to the last
 * maximum; ours, one WGSL dispatch to the first (as PyTorch and convnets' cpu/wasm kernels).
 */
export const WEBGPU_KERNELS: Record<string, KernelFactory> = {
  Conv2D: (_b, stock) => conv2DWebgpu(stock),
  FusedConv2D: (_b, stock) => fusedConv2DWebgpu(stock),
  Conv2DBackpropInput: (_b, stock) => conv2DBackpropInputWebgpu(stock),
  Conv2DBackpropFilter: (_b, stock) => conv2DBackpropFilterWebgpu(stock),
  MaxPoolGrad: () => maxPoolGradWebgpu,
};
