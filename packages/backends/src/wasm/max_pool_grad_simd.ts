import type { backend_util, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import * as MAX_POOL_GRAD from './max_pool_grad_wasm.js';
import { asWasmBackend, wasmExports } from './instance.js';

type Kernel = (...args: number[]) => number;

/**
 * MaxPoolGrad on wasm by the SIMD loop of wasm/max_pool_grad.wat, 4 channels at a time, into
 * `dx()` (zeroed, in the wasm heap; asked for only on wasm). True when done; false where it does not apply (not wasm,
 * memory not reachable) or could not settle every window (a NaN in the input, an `output` that
 * is not the input's max pool): then dx is zeroed again, for the caller's JS path.
 */
export function maxPoolGradSimd(anyBackend: KernelBackend, input: TensorInfo, output: TensorInfo, dy: TensorInfo, dx: () => TensorInfo, info: backend_util.Conv2DInfo): boolean {
  const backend = asWasmBackend(anyBackend);
  const kernel = backend && wasmExports<{ maxPoolGrad: Kernel }>(backend, MAX_POOL_GRAD)?.maxPoolGrad;
  if (!backend || !kernel) return false;
  const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, effectiveFilterHeight, effectiveFilterWidth, strideHeight, strideWidth, padInfo } = info;
  const out = dx();
  const unsettled = kernel(
    at(input), at(output), at(dy), at(out),
    batchSize, inHeight, inWidth, inChannels, outHeight, outWidth,
    effectiveFilterHeight, effectiveFilterWidth, strideHeight, strideWidth, padInfo.top, padInfo.left,
  );
  if (unsettled === 0) return true;
  backend.typedArrayFromHeap(out).fill(0);
  return false;
}
