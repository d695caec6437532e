import * as tf from '@tensorflow/tfjs-core';
import { AUTO_ORDER, LOADERS } from '#platform';
import { BACKEND_NAMES, BackendUnavailableError, type BackendInfo, type BackendName, type UseBackendOptions } from './types.js';

let current: BackendInfo | undefined;

/**
 * Picks the backend, like the seed's `cuda if available else cpu`.
 * - A name: that backend or a BackendUnavailableError that says why and how to fix it.
 * - 'auto': the first that works in this environment's order (Node: tensorflow, webgpu on a
 *   hardware adapter, wasm, cpu; browsers: webgpu, webgl, wasm, cpu), reporting what it skipped.
 */
export async function useBackend(name: BackendName | 'auto' = 'auto', opts: UseBackendOptions = {}): Promise<BackendInfo> {
  if (name !== 'auto' && !BACKEND_NAMES.includes(name)) {
    throw new Error(`Unknown backend "${name}": choose one of auto, ${BACKEND_NAMES.join(', ')}`);
  }
  const order = name === 'auto' ? AUTO_ORDER : [name];
  const skipped: BackendInfo['skipped'] = [];
  for (const candidate of order) {
    try {
      const requireHardwareAdapter = name === 'auto' && (candidate === 'webgpu' || candidate === 'webgl') && !opts.allowFallbackAdapter;
      const info = await LOADERS[candidate]({ ...opts, requireHardwareAdapter: opts.requireHardwareAdapter ?? requireHardwareAdapter });
      current = { ...info, skipped };
      return current;
    } catch (e) {
      if (name !== 'auto' || !(e instanceof BackendUnavailableError)) throw e;
      skipped.push({ name: candidate, reason: e.reason, ...e.kind });
    }
  }
  throw new Error(`No backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

/** What useBackend last chose (undefined before the first call). */
export function currentBackend(): BackendInfo | undefined {
  return current && current.name === tf.getBackend() ? current : undefined;
}
