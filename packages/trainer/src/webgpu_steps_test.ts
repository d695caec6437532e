import { useBackend } from '@convnets/backends';
import { requireSystem } from '@convnets/vitest-config/system';
import { afterAll, describe, expect, it } from 'vitest';
import { losses, NETS } from '../test/webgpu_steps.js';

const mesa = await requireSystem('mesa', import.meta.url);

afterAll(async () => {
  await useBackend('cpu');
});

describe('training steps of the five networks on webgpu (Dawn in Node) match wasm', () => {
  it.skipIf(!mesa.ok).for(NETS)('$title: the loss before each step within 1e-4 relative of wasm\'s, and falling', { timeout: 600_000 }, async (net) => {
    await useBackend('wasm');
    const want = await losses(net);
    await useBackend('webgpu', { allowFallbackAdapter: true });
    const got = await losses(net);
    for (let i = 0; i < net.steps; i++) expect(Math.abs(got[i]! - want[i]!) / Math.abs(want[i]!), `step ${i}: webgpu ${got[i]} vs wasm ${want[i]}`).toBeLessThan(1e-4);
    expect(got[net.steps - 1]).toBeLessThan(got[0]!);
  });
});
