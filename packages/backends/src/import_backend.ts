import { BackendUnavailableError } from './types.js';

/**
 * Imports one backend's subpath (which imports tfjs's backend package) for useBackend; a
 * failure becomes a BackendUnavailableError that names the package to install.
 */
export async function importBackend<M>(backend: 'cpu' | 'wasm' | 'webgl' | 'webgpu', load: () => Promise<M>): Promise<M> {
  try {
    return await load();
  } catch (e) {
    throw new BackendUnavailableError(
      backend,
      `@tensorflow/tfjs-backend-${backend} is not installed (${(e as Error).message}). Install it: npm install @tensorflow/tfjs-backend-${backend}@4.22.0`,
    );
  }
}
