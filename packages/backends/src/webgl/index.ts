import '@tensorflow/tfjs-backend-webgl';
import { setBackendChecked } from '../set_backend_checked.js';
import { BackendUnavailableError, type BackendLoader } from '../types.js';

/** Makes tfjs run on WebGL (browsers, or a worker with OffscreenCanvas). */
export const loadWebgl: BackendLoader = async () => {
  if (typeof document === 'undefined' && typeof OffscreenCanvas === 'undefined') {
    throw new BackendUnavailableError('webgl', 'no canvas here (WebGL needs a browser)');
  }
  await setBackendChecked('webgl');
  return { name: 'webgl' };
};
