import type { backend_util } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs, FusedConv2DAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { nhwcConv2DInfo } from '../shared/conv2d_info.js';
import { type ConvEpilogue, type ConvGemmMode, convDirectProgram, convGemmProgram, convGemmSumProgram, planConvGemm, productChannels } from './conv_gemm_program.js';

/** Channels up to which a convolution's forward pass and input gradient run convDirectProgram. */
export const DIRECT_MAX_CHANNELS = 16;

/**
 * Which program runs a convolution: 'direct' for narrow outputs (≤ 16 channels), the implicit
 * GEMM for the rest of the gradients, and tfjs-webgpu's own forward kernel ('stock') for wide
 * layers, where on llvmpipe its vec4 tiles beat ours (NiN's 1×1 at 96 channels: 86 ms vs 136).
 */
export function convRoute(mode: ConvGemmMode, info: backend_util.Conv2DInfo): 'direct' | 'gemm' | 'stock' {
  if (mode === 'filterGrad') return 'gemm';
  if (productChannels(mode, info) <= DIRECT_MAX_CHANNELS) return 'direct';
  return mode === 'forward' ? 'stock' : 'gemm';
}

/** Runs one convolution as convDirectProgram or an implicit GEMM (plus a sum of K splits for a filter gradient). */
function runConv(backend: WebGPUBackend, mode: ConvGemmMode, info: backend_util.Conv2DInfo, inputs: TensorInfo[], outputShape: number[], epilogue: ConvEpilogue = 'linear'): TensorInfo {
  const bias = inputs.length === 3;
  if (mode !== 'filterGrad' && convRoute(mode, info) === 'direct') {
    const channels = productChannels(mode, info);
    // Up to 8 channels a thread, in equal chunks (10 channels: 5 + 5, not 8 + 2).
    const chunk = Math.ceil(channels / Math.ceil(channels / 8));
    return backend.runWebGPUProgram(convDirectProgram(mode, info, chunk, epilogue, bias), inputs, 'float32');
  }
  const plan = planConvGemm(mode, info);
  const out = backend.runWebGPUProgram(convGemmProgram(plan, info, outputShape, epilogue, bias), inputs, 'float32');
  if (plan.splits === 1) return out;
  const summed = backend.runWebGPUProgram(convGemmSumProgram(plan.splits, outputShape), [out], 'float32');
  backend.disposeData(out.dataId);
  return summed;
}

/**
 * tfjs-webgpu picks among a matrix product, im2col and a 32×32-tile implicit GEMM per call,
 * computes the input gradient with a naive kernel (WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE) and the
 * filter gradient with one thread per weight. These run the three convolutions of a training
 * step through convnets' programs (conv_gemm_program.ts), chosen by convRoute. NHWC only:
 * kernels.ts wraps them in nhwcOnly, as on wasm and cpu. Given tfjs's kernel (`stock`), wide
 * forward layers and FusedConv2D's other activations go to it.
 */
export function conv2DWebgpu(stock?: KernelFunc): KernelFunc {
  return (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const a = args.attrs as unknown as Conv2DAttrs;
    const info = nhwcConv2DInfo(x.shape, filter.shape, a, a.dilations);
    if (stock && convRoute('forward', info) === 'stock') return stock(args);
    return runConv(args.backend as WebGPUBackend, 'forward', info, [x, filter], info.outShape);
  };
}

const EPILOGUES = new Set<string>(['linear', 'relu', 'sigmoid']);

export function fusedConv2DWebgpu(stock?: KernelFunc): KernelFunc {
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const a = args.attrs as unknown as FusedConv2DAttrs;
    const activation = a.activation ?? 'linear';
    const plainBias = !bias || (bias.shape.length === 1 && bias.shape[0] === filter.shape[3]);
    if (preluActivationWeights || !EPILOGUES.has(activation) || !plainBias) {
      if (stock) return stock(args);
      throw new Error(`convnets webgpu FusedConv2D supports a 1-D bias and linear, relu or sigmoid only, not '${activation}'`);
    }
    const info = nhwcConv2DInfo(x.shape, filter.shape, a, a.dilations);
    if (stock && convRoute('forward', info) === 'stock') return stock(args);
    return runConv(args.backend as WebGPUBackend, 'forward', info, bias ? [x, filter, bias] : [x, filter], info.outShape, activation as ConvEpilogue);
  };
}

export const conv2DBackpropInputWebgpu: KernelFunc = (args) => {
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = args.attrs as unknown as Conv2DBackpropInputAttrs;
  const info = nhwcConv2DInfo(a.inputShape, filter.shape, a);
  return runConv(args.backend as WebGPUBackend, 'inputGrad', info, [dy, filter], info.inShape);
};

export const conv2DBackpropFilterWebgpu: KernelFunc = (args) => {
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const a = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = nhwcConv2DInfo(x.shape, a.filterShape, a);
  return runConv(args.backend as WebGPUBackend, 'filterGrad', info, [x, dy], [...a.filterShape]);
};
