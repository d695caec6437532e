import * as tf from '@tensorflow/tfjs-core';
import { BackendFastPath } from './backend_fast_path.js';

/** What a device reported since the last check: how many errors, and the messages it kept (the first ones). */
export interface DeviceErrors {
  count: number;
  messages: readonly string[];
}

/** Takes (and forgets) the errors a backend's device reported since the last call. */
export type TakeDeviceErrors = () => DeviceErrors;

const takers = new BackendFastPath<TakeDeviceErrors>();

/** Registers how `backendName` reports its device's errors (`@convnets/backends/webgpu` does). */
export function registerDeviceErrors(backendName: string, take: TakeDeviceErrors): void {
  takers.register(backendName, take);
}

/**
 * The GPU reported an error without failing the call that caused it (WebGPU's uncaptured
 * validation and out-of-memory errors): the kernels recorded with it did not run, and the
 * tensors they should have written hold stale memory. Every number computed since the last
 * check is suspect.
 */
export class DeviceComputeError extends Error {
  readonly errors: readonly string[];

  constructor(
    readonly backend: string,
    reported: DeviceErrors,
  ) {
    const first = (reported.messages[0] ?? '').split('\n')[0]!.trim();
    super(`the ${backend} device reported ${reported.count === 1 ? 'an error' : `${reported.count} errors`} while computing, so its results are wrong (first: ${first})`);
    this.name = 'DeviceComputeError';
    this.errors = reported.messages;
  }
}

/**
 * Throws DeviceComputeError if the device of the backend tfjs runs on reported errors since the
 * last check; a no-op on backends that register none. Call it after reading a result back
 * (by then the device has reported what it found) and before trusting or saving anything.
 */
export function throwIfDeviceErrors(): void {
  const reported = takers.current()?.();
  if (reported && reported.count > 0) throw new DeviceComputeError(tf.getBackend(), reported);
}
