import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { stockKernel } from '../src/training_kernels.js';

/**
 * Runs tfjs cpu's own kernel (the one registerTrainingKernels replaced, the reference the
 * kernel tests compare with) on tensors of the cpu backend, and frees its output.
 */
export function stockCpu(kernelName: string, inputs: Record<string, tf.Tensor>, attrs: object): { shape: number[]; values: Float32Array } {
  const backend = tf.findBackend('cpu')!;
  const out = (stockKernel(kernelName, 'cpu') as KernelFunc)({ inputs, attrs: attrs as never, backend }) as TensorInfo;
  const values = (backend.readSync(out.dataId) as Float32Array).slice();
  backend.disposeData(out.dataId);
  return { shape: out.shape, values };
}
