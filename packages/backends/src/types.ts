export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'webgl' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'webgl', 'cpu'];

export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  /** A software/fallback adapter (SwiftShader, llvmpipe): correct but not a GPU. */
  isFallback: boolean;
}

export interface BackendInfo {
  /** The backend tfjs is now running on. */
  name: BackendName;
  /** Faster backends that `auto` tried and skipped, with why. */
  skipped: { name: BackendName; reason: string }[];
  adapter?: GpuAdapterInfo;
  /** Extra facts worth printing, e.g. wasm threads. */
  details?: Record<string, string | number | boolean>;
}

export interface UseBackendOptions {
  /** `auto` only: accept a fallback (CPU) WebGPU adapter or WebGL renderer. Default false. */
  allowFallbackAdapter?: boolean;
  /** webgpu, webgl (browsers): refuse software adapters and renderers (set by `auto` unless allowFallbackAdapter). */
  requireHardwareAdapter?: boolean;
  /** wasm: where the .wasm files are served from (browsers/bundlers). */
  wasmPaths?: string | Record<string, string>;
  /**
   * wasm in Node: XNNPACK threads, 1 to 8 (default: every core, or CONVNETS_WASM_THREADS).
   * Fixed when wasm first starts in a process. Browsers decide threads themselves.
   */
  wasmThreads?: number;
}

/** Thrown when a named backend cannot run here; the message says why and how to fix it. */
export class BackendUnavailableError extends Error {
  readonly backend: BackendName;
  constructor(backend: BackendName, reason: string) {
    super(`${backend} backend unavailable: ${reason}`);
    this.name = 'BackendUnavailableError';
    this.backend = backend;
  }
}

/** One backend's loader: registers it with tfjs, or throws BackendUnavailableError. */
export type BackendLoader = (opts: UseBackendOptions) => Promise<Omit<BackendInfo, 'skipped'>>;
