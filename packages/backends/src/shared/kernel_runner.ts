import * as tf from '@tensorflow/tfjs-core';
import type { KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

type Kernel = (name: string, inputs: NamedTensorInfoMap, attrs?: NamedAttrMap) => TensorInfo;

/**
 * Lets a kernel call the backend's other kernels the way tfjs's own kernels do
 * (`kernelFunc({inputs, backend, attrs})`), and free the intermediates it made.
 */
export function kernelRunner(backend: KernelBackend, backendName: string): { run: Kernel; free: (...t: TensorInfo[]) => void } {
  const run: Kernel = (name, inputs, attrs = {}) => {
    const config = tf.getKernel(name, backendName);
    if (!config) throw new Error(`convnets training kernels: backend '${backendName}' has no ${name} kernel`);
    return config.kernelFunc({ inputs, attrs, backend }) as TensorInfo;
  };
  const free = (...t: TensorInfo[]) => {
    for (const info of t) backend.disposeData(info.dataId);
  };
  return { run, free };
}
