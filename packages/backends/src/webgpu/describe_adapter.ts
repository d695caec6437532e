import { isSoftwareRenderer } from '../software_adapter.js';
import type { GpuAdapterInfo } from '../types.js';

export interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean; type?: string };
  isFallbackAdapter?: boolean;
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
