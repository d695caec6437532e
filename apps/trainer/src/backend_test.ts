import { describe, expect, it } from 'vitest';
import { NO_GPU_ADAPTER, SOFTWARE_GPU_ONLY } from '@convnets/backends';
import { alternativesTo, classifySkip, describeBackend } from './backend.js';

const TF_MISSING = '@tensorflow/tfjs-node-gpu is not installed. On a machine with CUDA 11.2 and cuDNN 8.1: npm install @tensorflow/tfjs-node-gpu@4.22.0 with install scripts allowed and network access';
const NO_ADAPTER = "Dawn found no adapter (tried Vulkan (libvulkan.so.1 not found), GL ES (skipped: software only)); on Linux install the GPU's Vulkan driver (libvulkan1 + vendor ICD)";
const CUDA_MISSING = '@tensorflow/tfjs-node-gpu is installed, but libcudnn.so.8 cannot be loaded: it needs cuDNN 8.1 on the library path (install it, or add its lib64 directory to LD_LIBRARY_PATH)';

describe('describeBackend', () => {
  // The kinds the loaders attach (packages/backends): not installed and no adapter are every CPU machine's.
  const notInstalled = { summary: 'tfjs-node-gpu is not installed', noGpu: true };
  const info = { name: 'wasm' as const, details: { threads: 2 }, skipped: [{ name: 'tensorflow' as const, reason: TF_MISSING, ...notInstalled }, { name: 'webgpu' as const, reason: NO_ADAPTER, ...NO_GPU_ADAPTER }] };

  it('says nothing about the skips every machine without a GPU has', () => {
    expect(describeBackend(info)).toEqual(['backend: wasm (threads 2)']);
  });

  it('--verbose: one short line per skip, then its whole reason', () => {
    expect(describeBackend(info, { verbose: true })).toEqual([
      'backend: wasm (threads 2)',
      'auto skipped tensorflow: tfjs-node-gpu is not installed',
      `  ${TF_MISSING}`,
      'auto skipped webgpu: no GPU adapter',
      `  ${NO_ADAPTER}`,
    ]);
  });

  it('an unexpected skip (a GPU machine missing a CUDA library) gets one short line that fits 80 columns', () => {
    const lines = describeBackend({ ...info, skipped: [{ name: 'tensorflow', reason: CUDA_MISSING, summary: 'a CUDA library cannot be loaded', noGpu: false }] });
    expect(lines).toEqual(['backend: wasm (threads 2)', 'auto skipped tensorflow: a CUDA library cannot be loaded (--verbose for why)']);
    const odd = describeBackend({ ...info, skipped: [{ name: 'webgpu', reason: 'requestDevice() failed with an internal error in the driver that nobody expected' }] });
    expect(odd[1]).toBe('auto skipped webgpu: requestDevice() failed with an… (--verbose for why)');
    for (const l of [...lines, ...odd]) expect(l.length).toBeLessThanOrEqual(80);
  });

  it('classifies the software-only WebGPU adapter as expected', () => {
    expect(classifySkip({ name: 'webgpu', reason: 'only a software adapter is available (mesa llvmpipe); pass allowFallbackAdapter to use it', ...SOFTWARE_GPU_ONLY })).toEqual({ short: 'only a software GPU adapter', expected: true });
  });
});

it('the backend error offers auto and the other backends that run in Node, never the one that failed', () => {
  expect(alternativesTo('tensorflow')).toEqual(['auto', 'webgpu', 'wasm', 'cpu']);
  expect(alternativesTo('webgl')).toEqual(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu']);
  expect(alternativesTo('wasm')).toEqual(['auto', 'tensorflow', 'webgpu', 'cpu']);
});
