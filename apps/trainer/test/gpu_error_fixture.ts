/**
 * Preloaded into a CLI under test (`node --import`): SIGUSR2 makes tfjs's WebGPU device report
 * a validation error, as an invalid pipeline or a failed allocation does when Dawn drops the
 * command buffer it was recorded in (no call fails; the numbers are wrong).
 */
interface Engine {
  registry: Record<string, { device?: { createBuffer(d: { size: number; usage: number }): unknown } } | undefined>;
}

process.on('SIGUSR2', () => {
  const engine = (globalThis as { _tfengine?: Engine })._tfengine;
  const device = engine?.registry.webgpu?.device;
  if (!device) throw new Error('gpu_error_fixture: SIGUSR2 before tfjs had a webgpu device');
  device.createBuffer({ size: 4, usage: 0 });
});
