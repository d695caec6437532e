import { setBackendChecked } from './set_backend_checked.js';
import { isSoftwareRenderer } from './software_adapter.js';
import { BackendUnavailableError, type BackendLoader, type GpuAdapterInfo, type UseBackendOptions } from './types.js';

interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean; type?: string };
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
  // Dawn's GL backend leaves vendor/architecture empty and names the renderer in `device`
  // (e.g. 'llvmpipe-llvm-15-0-6-256-bits-'); Chromium may report type 'cpu'.
  const device = info.device ?? '';
  const description = [device, info.description ?? ''].filter((s, i, all) => s && (i === 0 || !s.includes(all[0]!))).join(' ');
  const software = info.type === 'cpu' || isSoftwareRenderer(`${vendor} ${architecture} ${description}`);
  return { vendor, architecture, description, isFallback: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false) || software };
}

/**
 * The WebGPU loader, given a way to reach a GPU object (navigator.gpu in browsers,
 * Dawn in Node). It reports the adapter; tfjs-backend-webgpu then requests its own.
 */
export function makeWebgpuLoader(getGpu: (opts: UseBackendOptions) => Promise<{ gpu: GpuLike; adapterOptions?: Record<string, unknown> }>): BackendLoader {
  return async (opts) => {
    const { gpu, adapterOptions } = await getGpu(opts);
    const adapter = await gpu.requestAdapter(adapterOptions);
    if (!adapter) throw new BackendUnavailableError('webgpu', 'no adapter (navigator.gpu.requestAdapter() returned null)');
    const described = describeAdapter(adapter);
    if (described.isFallback && opts.requireHardwareAdapter) {
      throw new BackendUnavailableError('webgpu', `only a software adapter is available (${[described.vendor, described.architecture, described.description].filter(Boolean).join(' ')}), slower than wasm; choose webgpu by name (or pass allowFallbackAdapter) to use it`);
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
