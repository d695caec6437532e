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
  skipped: SkippedBackend[];
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

/** Why a backend cannot run, in a few words, and whether that is simply a machine without a GPU. */
export interface UnavailableKind {
  /** A few words for a one-line listing, e.g. 'no GPU adapter'. */
  summary: string;
  /** What any machine without a (hardware) GPU reports: not worth a line unless asked. */
  noGpu: boolean;
}

/** A backend `auto` passed over: the full reason, and its kind when the loader knows it. */
export interface SkippedBackend extends Partial<UnavailableKind> {
  name: BackendName;
  reason: string;
}

/** Thrown when a named backend cannot run here; the message says why and how to fix it. */
export class BackendUnavailableError extends Error {
  readonly backend: BackendName;
  readonly reason: string;
  readonly kind?: UnavailableKind;
  constructor(backend: BackendName, reason: string, kind?: UnavailableKind) {
    super(`${backend} backend unavailable: ${reason}`);
    this.name = 'BackendUnavailableError';
    this.backend = backend;
    this.reason = reason;
    this.kind = kind;
  }
}

/** The kinds the loaders report. */
export const NO_GPU_ADAPTER: UnavailableKind = { summary: 'no GPU adapter', noGpu: true };
export const SOFTWARE_GPU_ONLY: UnavailableKind = { summary: 'only a software GPU adapter', noGpu: true };

/** One backend's loader: registers it with tfjs, or throws BackendUnavailableError. */
export type BackendLoader = (opts: UseBackendOptions) => Promise<Omit<BackendInfo, 'skipped'>>;
