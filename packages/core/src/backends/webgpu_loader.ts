import { setBackendChecked } from './set_backend_checked.js';
import { BackendUnavailableError, type BackendLoader, type GpuAdapterInfo } from './types.js';

interface AdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}
export interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<AdapterLike | null>;
}

/** Reads vendor, architecture and whether the adapter is software, across Dawn/Chromium versions. */
export function describeAdapter(adapter: AdapterLike): GpuAdapterInfo {
  const info = adapter.info ?? {};
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const description = info.description ?? '';
  const text = `${vendor} ${architecture} ${description}`.toLowerCase();
  const software = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/.test(text);
  return { vendor, architecture, description, isFallback: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false) || software };
}

/**
 * The WebGPU loader, given a way to reach a GPU object (navigator.gpu in browsers,
 * Dawn in Node). It reports the adapter; tfjs-backend-webgpu then requests its own.
 */
export function makeWebgpuLoader(getGpu: () => Promise<{ gpu: GpuLike; adapterOptions?: Record<string, unknown> }>): BackendLoader {
  return async (opts) => {
    const { gpu, adapterOptions } = await getGpu();
    const adapter = await gpu.requestAdapter(adapterOptions);
    if (!adapter) throw new BackendUnavailableError('webgpu', 'no adapter (navigator.gpu.requestAdapter() returned null)');
    const described = describeAdapter(adapter);
    if (described.isFallback && opts.requireHardwareAdapter) {
      throw new BackendUnavailableError('webgpu', `only a software adapter is available (${described.vendor} ${described.architecture} ${described.description}`.trim() + ')');
    }
    try {
      const webgpu = await import('@tensorflow/tfjs-backend-webgpu');
      void webgpu;
    } catch (e) {
      throw new BackendUnavailableError('webgpu', `@tensorflow/tfjs-backend-webgpu is not installed (${(e as Error).message}). Install it: npm install @tensorflow/tfjs-backend-webgpu@4.22.0`);
    }
    await setBackendChecked('webgpu');
    return { name: 'webgpu', adapter: described };
  };
}
