import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Identity that shares the input's buffer (one more reference), as tfjs's cpu backend does.
 * tfjs-backend-wasm 4.22 copies it, and the tape clones every tensor a gradient keeps (the
 * inputs of Conv2D, AvgPool, Multiply…): ~40 copies, 5 ms of a LeNet step. Sharing is safe
 * because no kernel writes into its inputs and Variable.assign swaps buffers.
 */
export const identityShared: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  (backend as KernelBackend & { incRef(dataId: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};
