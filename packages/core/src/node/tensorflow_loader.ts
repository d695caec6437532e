import { setBackendChecked } from '../backends/set_backend_checked.js';
import { BackendUnavailableError, type BackendLoader } from '../backends/types.js';

const PKG = '@tensorflow/tfjs-node-gpu';

/** Turns a failed import of tfjs-node-gpu into one line that says which part is missing. */
export function explainTensorflowFailure(e: unknown): string {
  const msg = (e as Error)?.message ?? String(e);
  const code = (e as NodeJS.ErrnoException)?.code;
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && msg.includes(PKG)) {
    return `${PKG} is not installed. On a CUDA machine: npm install ${PKG}@4.22.0 (it downloads libtensorflow at install time)`;
  }
  if (/libcudart|libcublas|libcudnn|libcufft|libcurand|libcusolver|libcusparse/.test(msg)) {
    const lib = /lib(cud\w+|cu\w+)\.so[.\d]*/.exec(msg)?.[0] ?? 'a CUDA library';
    return `${PKG} found, but ${lib} is missing: it needs CUDA 11.2 and cuDNN 8.1 on the library path (LD_LIBRARY_PATH)`;
  }
  if (/tfjs_binding\.node|libtensorflow/.test(msg)) {
    return `${PKG} is installed but its native addon is missing (libtensorflow was not downloaded at install time). Reinstall it with network access: npm rebuild ${PKG}`;
  }
  return `${PKG} failed to load: ${msg.split('\n')[0]}`;
}

export const loadTensorflow: BackendLoader = async () => {
  try {
    await import(/* @vite-ignore */ PKG);
  } catch (e) {
    throw new BackendUnavailableError('tensorflow', explainTensorflowFailure(e));
  }
  await setBackendChecked('tensorflow' as never);
  return { name: 'tensorflow' };
};
