/**
 * What the GPU machine's WebGPU adapter offers, for the paths #21 has not built yet (an f16 /
 * tensor-core path needs `shader-f16` and `chromium-experimental-subgroup-matrix`), and the
 * limits tfjs-webgpu's device gets (it requests the adapter's buffer sizes, not its storage
 * buffers per shader): JSON on stdout (device-webgpu.sh writes it to adapter.json).
 *
 *   node webgpu-adapter.mjs            (node --conditions=@convnets/source --import tsx apps/bench/scripts/webgpu-adapter.ts)
 */
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';

const LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxStorageBuffersPerShaderStage', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupsPerDimension'] as const;

console.log = console.error;
await useBackend('webgpu', { allowFallbackAdapter: true });
const gpu = (globalThis.navigator as unknown as { gpu: GPU }).gpu;
const adapter = (await gpu.requestAdapter({ powerPreference: 'high-performance' }))!;
const device = (tf.backend() as unknown as { device: GPUDevice }).device;
const pick = (l: GPUSupportedLimits) => Object.fromEntries(LIMITS.map((k) => [k, l[k]]));
// `info` is in the runtimes this runs on (Dawn's npm package, Chromium), not in these typings yet.
const info = (adapter as unknown as { info: { vendor: string; architecture: string; device: string; description: string } }).info;
process.stdout.write(`${JSON.stringify({
  adapter: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description },
  adapterFeatures: [...adapter.features].sort(),
  adapterLimits: pick(adapter.limits),
  tfjsDeviceFeatures: [...device.features].sort(),
  tfjsDeviceLimits: pick(device.limits),
}, null, 1)}\n`);
process.exit(0);
