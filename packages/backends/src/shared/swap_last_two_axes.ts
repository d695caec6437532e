import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelRunner } from './kernel_runner.js';

/** Swaps the last two axes of `t` by the backend's own Transpose kernel. */
export function swapLastTwoAxes(backend: KernelBackend, backendName: string, t: TensorInfo): TensorInfo {
  const perm = t.shape.map((_, i) => i);
  perm.splice(-2, 2, perm.length - 1, perm.length - 2);
  return kernelRunner(backend, backendName).run('Transpose', { x: t }, { perm });
}
