import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { requireSystem } from '@convnets/vitest-config/system';
import { asGpuDeviceLost, GpuDeviceLostError, useBackend, webgpuDeviceLoss } from '../index.js';

// Dawn on Mesa llvmpipe here: .ci/run installs it. This file destroys its device, so it runs alone (vitest forks a process per file).
await requireSystem('mesa', import.meta.url);

describe('a lost WebGPU device (Dawn)', () => {
  it('is no loss before webgpu runs, nor while its device lives', async () => {
    expect(await asGpuDeviceLost(new Error('a failed read'))).toBeUndefined();
    await useBackend('webgpu');
    const x = tf.ones([8, 8]);
    expect((await tf.sum(x).data())[0]).toBe(64);
    expect(await asGpuDeviceLost(new Error('a failed read'), 50)).toBeUndefined();
    expect(await webgpuDeviceLoss()).toBeUndefined();
    x.dispose();
  });

  it("names the loss that a read fails on, keeping the runtime's error as its cause", async () => {
    const x = tf.ones([8, 8]);
    (tf.backend() as unknown as { device: { destroy(): void } }).device.destroy();
    const failed = await tf
      .sum(x)
      .data()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(failed).toBeDefined();
    const lost = await asGpuDeviceLost(failed);
    expect(lost).toBeInstanceOf(GpuDeviceLostError);
    expect(lost?.loss.reason).toBe('destroyed');
    expect(lost?.message).toMatch(/^the GPU device was lost \(destroyed/);
    expect(lost?.cause).toBe(failed);
    expect(await asGpuDeviceLost(lost)).toBe(lost);
    expect(await webgpuDeviceLoss()).toEqual(lost?.loss);
  });
});
