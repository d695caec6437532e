/**
 * The GPU machine's numerics check, first in device-webgpu.sh's probe: the five networks'
 * training steps (the same cases as packages/trainer/src/webgpu_steps_test.ts, which compares
 * llvmpipe with wasm) on the GPU and on the cpu backend, one JSON line each with both loss
 * series and the largest relative difference. A real GPU runs workgroups in parallel where
 * llvmpipe serializes them: a missing barrier in a WGSL kernel shows here first.
 *
 *   node webgpu-steps.mjs            (node --conditions=@convnets/source --import tsx apps/bench/scripts/webgpu-steps.ts)
 */
import { useBackend } from '@convnets/backends';
import { losses, NETS } from '../../../packages/trainer/test/webgpu_steps.js';

console.log = console.error;
for (const net of NETS) {
  await useBackend('cpu');
  const cpu = await losses(net);
  await useBackend('webgpu');
  const webgpu = await losses(net);
  const maxRel = Math.max(...webgpu.map((l, i) => Math.abs(l - cpu[i]!) / Math.abs(cpu[i]!)));
  process.stdout.write(`${JSON.stringify({ net: net.title, cpu, webgpu, maxRel, within1e4: maxRel < 1e-4 })}\n`);
}
process.exit(0);
