import { createRequire } from 'node:module';
import { BackendUnavailableError } from '../backends/types.js';
import type { GpuLike } from '../backends/webgpu_loader.js';

interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

let cached: { gpu: GpuLike; adapterOptions?: Record<string, unknown> } | undefined;

/**
 * WebGPU in Node through Dawn (npm `webgpu`). A real GPU is reached through Vulkan; where
 * Vulkan offers only a software device (lavapipe, rejected by Dawn), Mesa's llvmpipe is
 * reached through GL ES in compatibility mode. navigator.gpu is set before tfjs's
 * webgpu backend loads, as it looks there.
 */
export async function nodeGpu(): Promise<{ gpu: GpuLike; adapterOptions?: Record<string, unknown> }> {
  if (cached) return cached;
  let dawn: DawnModule;
  try {
    dawn = createRequire(import.meta.url)('webgpu') as DawnModule;
  } catch (e) {
    throw new BackendUnavailableError('webgpu', `the npm package "webgpu" (Dawn) is not installed or cannot load: ${(e as Error).message.split('\n')[0]}`);
  }
  Object.assign(globalThis, dawn.globals);
  const tried: string[] = [];
  for (const [flags, adapterOptions] of [
    [[], { powerPreference: 'high-performance' }],
    [['backend=opengles'], { featureLevel: 'compatibility' }],
  ] as [string[], Record<string, unknown>][]) {
    if (flags.includes('backend=opengles')) process.env.EGL_PLATFORM ??= 'surfaceless';
    const gpu = dawn.create(flags);
    const adapter = await gpu.requestAdapter(adapterOptions);
    if (adapter) {
      const nav = (globalThis as { navigator?: object }).navigator;
      const gpuWithOptions: GpuLike = { requestAdapter: (o) => gpu.requestAdapter({ ...adapterOptions, ...o }) };
      Object.defineProperty(nav ?? ((globalThis as { navigator?: object }).navigator = {}), 'gpu', { value: gpuWithOptions, configurable: true });
      cached = { gpu, adapterOptions };
      return cached;
    }
    tried.push(flags.length ? flags.join(',') : 'default (Vulkan)');
  }
  throw new BackendUnavailableError('webgpu', `Dawn found no adapter (tried ${tried.join(' and ')}); on Linux install Vulkan drivers, or Mesa's libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri`);
}
