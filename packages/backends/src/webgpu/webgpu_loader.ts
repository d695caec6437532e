import { setBackendChecked } from '../set_backend_checked.js';
import { BackendUnavailableError, NO_GPU_ADAPTER, SOFTWARE_GPU_ONLY, type BackendLoader, type UseBackendOptions } from '../types.js';
import { describeAdapter, type AdapterLike } from './describe_adapter.js';
import { watchWebgpuErrors } from './device_errors.js';
import { watchWebgpuDevice } from './device_loss.js';

export interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<AdapterLike | null>;
}

/**
 * The WebGPU loader, given a way to reach a GPU object (navigator.gpu in browsers,
 * Dawn in Node) and a way to load tfjs-backend-webgpu with the webgpu kernels (importing
 * `@convnets/backends/webgpu`), called once an adapter is found. It reports the adapter;
 * tfjs-backend-webgpu then requests its own.
 */
export function makeWebgpuLoader(
  getGpu: (opts: UseBackendOptions) => Promise<{ gpu: GpuLike; adapterOptions?: Record<string, unknown> }>,
  loadPackage: () => Promise<unknown>,
): BackendLoader {
  return async (opts) => {
    const { gpu, adapterOptions } = await getGpu(opts);
    const adapter = await gpu.requestAdapter(adapterOptions);
    if (!adapter) throw new BackendUnavailableError('webgpu', 'no adapter (navigator.gpu.requestAdapter() returned null)', NO_GPU_ADAPTER);
    const described = describeAdapter(adapter);
    if (described.isFallback && opts.requireHardwareAdapter) {
      throw new BackendUnavailableError('webgpu', `only a software adapter is available (${[described.vendor, described.architecture, described.description].filter(Boolean).join(' ')}), slower than wasm; choose webgpu by name (or pass allowFallbackAdapter) to use it`, SOFTWARE_GPU_ONLY);
    }
    await loadPackage();
    await setBackendChecked('webgpu');
    watchWebgpuDevice();
    watchWebgpuErrors();
    return { name: 'webgpu', adapter: described };
  };
}
