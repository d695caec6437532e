import { setBackendChecked } from './set_backend_checked.js';
import { BackendUnavailableError, type BackendLoader } from './types.js';

export async function importOrExplain(backend: 'cpu' | 'wasm' | 'webgl' | 'webgpu', pkg: () => Promise<unknown>): Promise<void> {
  try {
    await pkg();
  } catch (e) {
    throw new BackendUnavailableError(
      backend,
      `@tensorflow/tfjs-backend-${backend} is not installed (${(e as Error).message}). Install it: npm install @tensorflow/tfjs-backend-${backend}@4.22.0`,
    );
  }
}

export const loadCpu: BackendLoader = async () => {
  await importOrExplain('cpu', () => import('@tensorflow/tfjs-backend-cpu'));
  await setBackendChecked('cpu');
  return { name: 'cpu' };
};

export const loadWasm: BackendLoader = async (opts) => {
  await importOrExplain('wasm', () => import('@tensorflow/tfjs-backend-wasm'));
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (opts.wasmPaths) wasm.setWasmPaths(opts.wasmPaths as string);
  await setBackendChecked('wasm');
  return { name: 'wasm', details: { threads: wasm.getThreadsCount() } };
};

export const loadWebgl: BackendLoader = async () => {
  if (typeof document === 'undefined' && typeof OffscreenCanvas === 'undefined') {
    throw new BackendUnavailableError('webgl', 'no canvas here (WebGL needs a browser)');
  }
  await importOrExplain('webgl', () => import('@tensorflow/tfjs-backend-webgl'));
  await setBackendChecked('webgl');
  return { name: 'webgl' };
};
