import * as tf from '@tensorflow/tfjs-core';
import { DeviceComputeError, throwIfDeviceErrors } from '@convnets/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSystem } from '@convnets/vitest-config/system';
import { useBackend } from '../index.js';
import { stockKernel } from '../training_kernels.js';

const mesa = await requireSystem('mesa', import.meta.url);

describe('the webgpu device\'s uncaptured errors reach throwIfDeviceErrors (Dawn in Node)', () => {
  beforeAll(async () => {
    if (mesa.ok) await useBackend('webgpu', { allowFallbackAdapter: true });
  }, 300_000);
  afterAll(async () => {
    await useBackend('cpu');
  });

  it.skipIf(!mesa.ok)('a validation error: thrown once, with the device\'s words', () => {
    throwIfDeviceErrors();
    const device = (tf.backend() as unknown as { device: GPUDevice }).device;
    device.createBuffer({ size: 4, usage: 0 });
    expect(() => throwIfDeviceErrors()).toThrow(DeviceComputeError);
    expect(() => throwIfDeviceErrors()).not.toThrow();
  });

  it.skipIf(!mesa.ok)('a kernel whose pipeline is invalid (tfjs-webgpu\'s own AddN of 10): its sum reads back with no error, the check fails', async () => {
    throwIfDeviceErrors();
    const inputs = Array.from({ length: 10 }, () => tf.ones([3]));
    const info = stockKernel('AddN', 'webgpu')!({ inputs: inputs as never, backend: tf.backend(), attrs: {} }) as tf.TensorInfo;
    const sum = tf.engine().makeTensorFromTensorInfo(info);
    const got = Array.from(await sum.data());
    tf.dispose([...inputs, sum]);
    expect(got).not.toEqual([10, 10, 10]);
    // The device's first words: the pipeline's 11 storage buffers (10 inputs and the sum) against 8.
    expect(() => throwIfDeviceErrors()).toThrow(/^the webgpu device reported \d+ errors? while computing, so its results are wrong \(first: The number of storage buffers \(11\)/);
  });
});
