import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeviceComputeError, registerDeviceErrors, throwIfDeviceErrors } from './device_errors.js';

describe('throwIfDeviceErrors', () => {
  let reported: string[] = [];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    registerDeviceErrors('cpu', () => {
      const messages = reported.splice(0);
      return { count: messages.length, messages };
    });
  });
  afterEach(() => {
    reported = [];
  });

  it('is a no-op while the device reports nothing', () => {
    expect(() => throwIfDeviceErrors()).not.toThrow();
  });

  it('throws DeviceComputeError naming the backend, the count and the first error, once per batch of errors', () => {
    reported.push('Invalid ComputePipeline "AddNPackedProgram"\n - While calling [Device].CreateComputePipeline', 'Invalid CommandBuffer');
    let err: unknown;
    try {
      throwIfDeviceErrors();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DeviceComputeError);
    expect((err as DeviceComputeError).errors).toHaveLength(2);
    expect((err as Error).message).toBe('the cpu device reported 2 errors while computing, so its results are wrong (first: Invalid ComputePipeline "AddNPackedProgram")');
    expect(() => throwIfDeviceErrors()).not.toThrow();
  });

  it('asks only the backend tfjs runs on', () => {
    registerDeviceErrors('some-gpu', () => ({ count: 1, messages: ['out of memory'] }));
    expect(() => throwIfDeviceErrors()).not.toThrow();
  });
});
