import type { KernelBackend, TensorInfo, backend_util } from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../training_kernels.js';
import { conv2DBackpropFilterViaConv, conv2DBackpropInputViaConv, nhwcOnly } from '../shared/conv_grads_via_conv.js';
import { avgPoolGradWith } from '../shared/avg_pool_grad.js';
import { cpuLikeKernels } from '../shared/cpu_like_kernels.js';
import { flippedFilter } from '../shared/flipped_filter.js';
import { maxPoolGradFirstMaxWith } from '../shared/max_pool_grad_first_max.js';
import { avgPoolGradTiled } from './avg_pool_grad_tiled.js';
import { batchMatMulUntransposed, fusedMatMulUnpacked } from './batch_mat_mul_untransposed.js';
import { conv2dGemm, fusedConv2dGemm } from './conv_gemm.js';
import { filterGradGemm } from './filter_grad_gemm.js';
import { filterGradSingleChannel } from './filter_grad_single_channel.js';
import { identityShared } from './identity_shared.js';
import { maxPoolGradSimd } from './max_pool_grad_simd.js';
import { splitVRows } from './split_v_rows.js';

/** MaxPoolGrad on wasm: the SIMD loop, the shared JS loops where it does not settle a call. */
export const maxPoolGradFirstMaxSimd = maxPoolGradFirstMaxWith(maxPoolGradSimd);

/** AvgPoolGrad on wasm: windows that tile the input by the wasm loop, the others by the shared JS loops. */
export const avgPoolGradWasm = avgPoolGradWith(avgPoolGradTiled);

/** A first layer's filter gradient by its own loop, others as one patches·dy product. */
const filterGradSimd = (backend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo) =>
  filterGradSingleChannel(backend, x, dy, info) ?? filterGradGemm(backend, x, dy, info);

/**
 * A 1×1 layer's input gradient dY·Wᵀ as a matrix product (XNNPACK) on small maps only; on
 * larger ones as a 1×1 convolution, which convGemm's relaxed-SIMD tiles run 1.5–2× faster
 * (NiN's 54×54×96 layer at batch 8: 11.5 → 5.6 ms; GoogLeNet's 3×3×832 one: 0.9 → 1.5 ms).
 */
const pointwiseInputAsProduct = (info: backend_util.Conv2DInfo) => info.batchSize * info.inHeight * info.inWidth < 256;

/**
 * Convolution gradients as XNNPACK forward convolutions (1×1 ones as GEMMs), the filter
 * gradient mostly as one hand-written SIMD product.
 */
export const WASM_KERNELS: Record<string, KernelFactory> = {
  ...cpuLikeKernels(maxPoolGradFirstMaxSimd, avgPoolGradWasm),
  Conv2DBackpropFilter: (b, stock) => conv2DBackpropFilterViaConv(b, stock, { pointwiseGemm: true, filterGradFast: filterGradSimd }),
  Conv2DBackpropInput: (b, stock) => conv2DBackpropInputViaConv(b, stock, { pointwiseGemm: pointwiseInputAsProduct, flipFilter: flippedFilter }),
  Conv2D: (b, stock) => nhwcOnly('Conv2D', b, stock, conv2dGemm(stock!)),
  FusedConv2D: (b, stock) => nhwcOnly('FusedConv2D', b, stock, fusedConv2dGemm(b, stock!)),
  BatchMatMul: (backendName, stock) => batchMatMulUntransposed(backendName, stock!),
  _FusedMatMul: (backendName, stock) => fusedMatMulUnpacked(backendName, stock!),
  Identity: () => identityShared,
  SplitV: (_, stock) => splitVRows(stock!),
};
