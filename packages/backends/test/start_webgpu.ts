import { BackendUnavailableError, useBackend } from '../src/index.js';

/** Switches to webgpu on whatever adapter Dawn finds (llvmpipe without a GPU); false where there is none. */
export async function startWebgpu(): Promise<boolean> {
  try {
    await useBackend('webgpu', { allowFallbackAdapter: true });
    return true;
  } catch (e) {
    if (e instanceof BackendUnavailableError) return false;
    throw e;
  }
}
