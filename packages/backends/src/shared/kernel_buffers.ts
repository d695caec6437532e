import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend } from '../wasm/instance.js';

/**
 * A JS kernel's float32 output, zeroed unless the kernel writes all of it (`zeroed` false), and views of its inputs. On wasm both live in the
 * backend's heap (no 4 MB allocation and copy per call: a third of a LeNet pooling gradient);
 * on cpu readSync already returns the stored array, and write keeps the one it is given.
 * Call `inputs` after `output`: making the output may grow the heap.
 */
export function kernelBuffers(backend: KernelBackend, shape: number[], zeroed = true): { values: Float32Array; info: () => TensorInfo; read: (t: TensorInfo) => Float32Array } {
  const heap = asWasmBackend(backend);
  if (heap) {
    const out = heap.makeOutput(shape, 'float32');
    const values = heap.typedArrayFromHeap(out);
    if (zeroed) values.fill(0);
    return { values, info: () => out, read: (t) => heap.typedArrayFromHeap(t) };
  }
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  return {
    values,
    info: () => ({ dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' }),
    // cpu (wasm returned above): readSync hands back the stored array, no GPU download.
    read: (t) => backend.readSync(t.dataId) as Float32Array,
  };
}
