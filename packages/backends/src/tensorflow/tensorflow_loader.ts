import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setBackendChecked } from '../set_backend_checked.js';
import { BackendUnavailableError, type BackendLoader, type UnavailableKind } from '../types.js';

const PKG = '@tensorflow/tfjs-node-gpu';
const INSTALL = `On a machine with CUDA 11.2 and cuDNN 8.1: npm install ${PKG}@4.22.0 with install scripts allowed and network access`;

/** Where tfjs-node-gpu is and whether its install script built/downloaded the native addon. */
export interface TensorflowInstall {
  /** Package directory, or undefined when the package cannot be resolved. */
  dir?: string;
  /** tfjs_binding.node files found under lib/napi-v*. */
  addons: string[];
  /** lib/ exists, i.e. the install script ran (at least partly). */
  installScriptRan: boolean;
}

export function probeTensorflowInstall(from: string = import.meta.url): TensorflowInstall {
  let dir: string;
  try {
    dir = dirname(createRequire(from).resolve(`${PKG}/package.json`));
  } catch {
    return { addons: [], installScriptRan: false };
  }
  const lib = join(dir, 'lib');
  if (!existsSync(lib)) return { dir, addons: [], installScriptRan: false };
  const addons = readdirSync(lib)
    .filter((d) => d.startsWith('napi-v'))
    .map((d) => join(lib, d, 'tfjs_binding.node'))
    .filter((f) => existsSync(f));
  return { dir, addons, installScriptRan: true };
}

/** One line saying why tfjs-node-gpu cannot be used, judged before importing it (the import has side effects). */
export function explainTensorflowInstall(install: TensorflowInstall): string | undefined {
  if (!install.dir) return `${PKG} is not installed. ${INSTALL}`;
  if (!install.installScriptRan) {
    return `${PKG} is not installed: only its JavaScript is present (${install.dir}); its install script, which downloads libtensorflow, never ran (pnpm blocks it unless the package is in onlyBuiltDependencies; npm --ignore-scripts does too). ${INSTALL}`;
  }
  if (install.addons.length === 0) {
    return `${PKG} is installed but its native addon (lib/napi-v*/tfjs_binding.node) is missing: the libtensorflow download or build failed. Rerun it with network access: npm rebuild ${PKG}`;
  }
  return undefined;
}

const CUDA_LIBS: [RegExp, string][] = [
  [/libcudnn/, 'cuDNN 8.1'],
  [/libcudart|libcublas|libcufft|libcurand|libcusolver|libcusparse|libnvrtc|libcuda\.so/, 'CUDA 11.2'],
];

/** tfjs-node-gpu absent (or only its JavaScript): what every machine without CUDA reports. */
const NOT_INSTALLED: UnavailableKind = { summary: 'tfjs-node-gpu is not installed', noGpu: true };
const CUDA_LIBRARY_MISSING: UnavailableKind = { summary: 'a CUDA library cannot be loaded', noGpu: false };

/** Why importing tfjs-node-gpu failed: one line that says which part is missing, and its kind. */
function tensorflowFailure(e: unknown): { reason: string; kind?: UnavailableKind } {
  const msg = e instanceof Error ? e.message : String(e);
  const first = msg.split('\n')[0]!.trim();
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /^Cannot find (package|module) /.test(first)) {
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(first)?.[1];
    if (!missing || missing === PKG || missing.startsWith(`${PKG}/`)) return { reason: `${PKG} is not installed. ${INSTALL}`, kind: NOT_INSTALLED };
    return { reason: `${PKG} is installed but its dependency ${missing} is missing; reinstall it: npm install ${PKG}@4.22.0` };
  }
  const sharedLib = /(lib[\w+-]+\.so[.\d]*)\s*: cannot open shared object file/.exec(msg)?.[1];
  for (const [re, what] of CUDA_LIBS) {
    if (re.test(sharedLib ?? msg)) {
      const lib = sharedLib ?? /lib\w+\.so[.\d]*/.exec(msg)?.[0] ?? 'a CUDA library';
      return { reason: `${PKG} is installed, but ${lib} cannot be loaded: it needs ${what} on the library path (install it, or add its lib64 directory to LD_LIBRARY_PATH)`, kind: CUDA_LIBRARY_MISSING };
    }
  }
  if (/libtensorflow/.test(sharedLib ?? '')) {
    return { reason: `${PKG} is installed but ${sharedLib} is missing (the libtensorflow download failed or was removed). Rerun it with network access: npm rebuild ${PKG}` };
  }
  if (/tfjs_binding\.node/.test(msg) && /can ?not be found|cannot find/i.test(msg)) {
    return { reason: `${PKG} is installed but its native addon (tfjs_binding.node) is missing: the libtensorflow download or build failed. Rerun it with network access: npm rebuild ${PKG}` };
  }
  return { reason: `${PKG} failed to load: ${first}` };
}

/** Turns a failed import of tfjs-node-gpu into one line that says which part is missing. */
export function explainTensorflowFailure(e: unknown): string {
  return tensorflowFailure(e).reason;
}

export const loadTensorflow: BackendLoader = async () => {
  const install = probeTensorflowInstall();
  const reason = explainTensorflowInstall(install);
  // No package, or only its JavaScript (the install script never ran): not installed.
  if (reason) throw new BackendUnavailableError('tensorflow', reason, install.installScriptRan ? undefined : NOT_INSTALLED);
  try {
    await import(/* @vite-ignore */ PKG);
  } catch (e) {
    const { reason: why, kind } = tensorflowFailure(e);
    throw new BackendUnavailableError('tensorflow', why, kind);
  }
  await setBackendChecked('tensorflow' as never);
  return { name: 'tensorflow' };
};
