import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BackendUnavailableError, NO_GPU_ADAPTER } from '../types.js';
import type { GpuLike } from '../webgpu/webgpu_loader.js';
import { withoutDawnNotices } from './dawn_notices.js';

interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}
type AnyFn = (this: unknown, ...args: unknown[]) => unknown;
interface DeviceLike {
  destroy(): void;
}

let cached: { gpu: GpuLike; adapterOptions?: Record<string, unknown>; tried: string[] } | undefined;

/**
 * WebGPU in Node through Dawn (npm `webgpu`). A real GPU is reached through Vulkan; where
 * Vulkan offers no device (no libvulkan, or only lavapipe, which Dawn rejects), Mesa's
 * llvmpipe is reached through GL ES in compatibility mode (EGL_PLATFORM=surfaceless).
 * navigator.gpu is set before tfjs's webgpu backend loads, as it looks there.
 *
 * Dawn polls its pending work with setImmediate for as long as a device lives, which kept
 * Node from ever exiting after tfjs created its device. keepProcessExitable() makes those
 * polls not hold the event loop, holds it instead only while a WebGPU promise is pending,
 * and destroys the devices at exit.
 */
export async function nodeGpu(opts: { requireHardwareAdapter?: boolean } = {}): Promise<{ gpu: GpuLike; adapterOptions?: Record<string, unknown> }> {
  if (cached) return cached;
  let dawn: DawnModule;
  try {
    dawn = createRequire(import.meta.url)('webgpu') as DawnModule;
  } catch (e) {
    throw new BackendUnavailableError('webgpu', `the npm package "webgpu" (Dawn) is not installed or cannot load: ${(e as Error).message.split('\n')[0]}. Install it: npm install webgpu`);
  }
  Object.assign(globalThis, dawn.globals);
  keepProcessExitable(dawn.globals);
  const tried: string[] = [];
  const attempts: [string, string[], Record<string, unknown>][] = [];
  if (process.platform !== 'linux' || vulkanLoaderPresent()) {
    // Dawn quantizes timestamp queries (a browser's timing-attack guard); profiling wants them exact.
    attempts.push(['Vulkan', ['disable-dawn-features=timestamp_quantization'], { powerPreference: 'high-performance' }]);
  } else {
    tried.push('Vulkan (libvulkan.so.1 not found)');
  }
  // Mesa's GL ES gives only a software adapter (llvmpipe): not worth starting (and its
  // warnings) when only a hardware adapter will do, as for `auto`.
  if (process.platform === 'linux' && !opts.requireHardwareAdapter) attempts.push(['GL ES (Mesa)', ['backend=opengles'], { featureLevel: 'compatibility' }]);
  else if (process.platform === 'linux') tried.push('GL ES (skipped: software only)');
  for (const [label, flags, adapterOptions] of attempts) {
    if (flags.includes('backend=opengles')) process.env.EGL_PLATFORM ??= 'surfaceless';
    let gpu: GpuLike;
    let adapter: unknown;
    try {
      gpu = dawn.create(flags);
      adapter = await withoutDawnNotices(() => gpu.requestAdapter(adapterOptions));
    } catch (e) {
      tried.push(`${label} (${(e as Error).message.split('\n')[0]})`);
      continue;
    }
    if (adapter) {
      const gpuWithOptions: GpuLike = { requestAdapter: (o) => withoutDawnNotices(() => gpu.requestAdapter({ ...adapterOptions, ...o })) };
      const g = globalThis as { navigator?: object };
      Object.defineProperty(g.navigator ?? (g.navigator = {}), 'gpu', { value: gpuWithOptions, configurable: true });
      cached = { gpu: gpuWithOptions, adapterOptions, tried };
      return cached;
    }
    tried.push(`${label} (no adapter)`);
  }
  throw new BackendUnavailableError(
    'webgpu',
    `Dawn found no adapter (tried ${tried.join(', ')}); on Linux install the GPU's Vulkan driver (libvulkan1 + vendor ICD), or Mesa for a software adapter: apt-get install libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri`,
    NO_GPU_ADAPTER,
  );
}

/** Whether the Vulkan loader can be found (ld.so cache or LD_LIBRARY_PATH); saves Dawn's warning. */
function vulkanLoaderPresent(): boolean {
  const dirs = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  if (dirs.some((d) => existsSync(join(d, 'libvulkan.so.1')))) return true;
  try {
    return readFileSync('/etc/ld.so.cache').includes('libvulkan.so.1');
  } catch {
    return ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'].some((d) => existsSync(join(d, 'libvulkan.so.1')));
  }
}

let exitable = false;

function keepProcessExitable(globals: Record<string, unknown>): void {
  if (exitable) return;
  exitable = true;

  // 1. Dawn's polls: native, anonymous functions passed to the global setImmediate. They hold
  //    the loop only while a WebGPU promise is pending (an unref'd immediate would also let
  //    the poll phase block, stalling Dawn), and not at all otherwise.
  let pending = 0;
  let last: NodeJS.Immediate | undefined;
  const original = globalThis.setImmediate;
  const nativeSource = Function.prototype.toString;
  const patched = function setImmediate(this: unknown, callback: (...a: unknown[]) => void, ...rest: unknown[]) {
    const immediate = original(callback, ...rest);
    // Dawn's are N-API functions: native, anonymous and of length 0. A promise's resolve
    // function is native and anonymous too, but of length 1 (`new Promise(setImmediate)`).
    if (typeof callback === 'function' && callback.name === '' && callback.length === 0 && nativeSource.call(callback).includes('[native code]')) {
      last = immediate;
      if (pending === 0) immediate.unref();
    }
    return immediate;
  } as typeof setImmediate;
  Object.assign(patched, original);
  globalThis.setImmediate = patched;

  // 2. Hold the loop while any WebGPU promise is pending (a read, a device request...).
  let holder: ReturnType<typeof setInterval> | undefined;
  const begin = () => {
    if (pending++ === 0) {
      holder = setInterval(() => {}, 1 << 30);
      last?.ref();
    }
  };
  const end = () => {
    if (--pending === 0) {
      clearInterval(holder);
      last?.unref();
    }
  };
  const devices = new Set<WeakRef<DeviceLike>>();
  const wrap = (cls: string, method: string, onResult?: (v: unknown) => void) => {
    const proto = (globals[cls] as { prototype?: Record<string, unknown> } | undefined)?.prototype;
    const fn = proto?.[method] as AnyFn | undefined;
    if (!proto || typeof fn !== 'function') return;
    proto[method] = function (this: unknown, ...a: unknown[]) {
      begin();
      let p: Promise<unknown>;
      try {
        p = Promise.resolve(fn.apply(this, a));
      } catch (e) {
        end();
        throw e;
      }
      p.then(end, end);
      if (onResult) p.then(onResult, () => {});
      return p;
    };
  };
  wrap('GPU', 'requestAdapter');
  wrap('GPUAdapter', 'requestDevice', (d) => devices.add(new WeakRef(d as DeviceLike)));
  wrap('GPUBuffer', 'mapAsync');
  wrap('GPUQueue', 'onSubmittedWorkDone');
  wrap('GPUDevice', 'popErrorScope');
  wrap('GPUDevice', 'createComputePipelineAsync');
  wrap('GPUDevice', 'createRenderPipelineAsync');
  wrap('GPUShaderModule', 'getCompilationInfo');

  // 3. Tear devices down before Node does (a live device crashes Dawn at exit).
  process.once('exit', () => {
    for (const ref of devices) {
      try {
        ref.deref()?.destroy();
      } catch {
        // already gone
      }
    }
  });
}
