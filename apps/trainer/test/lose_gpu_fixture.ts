/**
 * Preloaded into a CLI under test (`node --import`): SIGUSR2 destroys tfjs's WebGPU device, so
 * the run loses its GPU mid-step as it would to a driver reset or a crashed GPU process.
 */
interface Engine {
  registry: Record<string, { device?: { destroy(): void } } | undefined>;
}

process.on('SIGUSR2', () => {
  const engine = (globalThis as { _tfengine?: Engine })._tfengine;
  const device = engine?.registry.webgpu?.device;
  if (!device) throw new Error('lose_gpu_fixture: SIGUSR2 before tfjs had a webgpu device');
  device.destroy();
});
