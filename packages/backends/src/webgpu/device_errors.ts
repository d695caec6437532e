import * as tf from '@tensorflow/tfjs-core';
import type { DeviceErrors } from '@convnets/core';

interface ErrorReportingDevice {
  addEventListener(type: 'uncapturederror', listener: (event: { error: { message: string } }) => void): void;
}

/** Messages kept between two checks; past that they are only counted. */
const KEEP = 20;
let messages: string[] = [];
let count = 0;
const watched = new WeakSet<object>();

/**
 * Collects the webgpu device's uncaptured errors (called once tfjs is on webgpu). tfjs-webgpu
 * listens to none: an invalid pipeline or a failed allocation makes Dawn (and Chromium) drop
 * the command buffer it was recorded in, and reads then return stale memory with no error.
 */
export function watchWebgpuErrors(): void {
  const device = (tf.findBackend('webgpu') as unknown as { device?: ErrorReportingDevice } | null)?.device;
  if (!device || watched.has(device)) return;
  watched.add(device);
  device.addEventListener('uncapturederror', (event) => {
    if (messages.length < KEEP) messages.push(event.error.message);
    count++;
  });
}

/** The errors reported since the last call (registered with core's throwIfDeviceErrors). */
export function takeWebgpuErrors(): DeviceErrors {
  const out = { count, messages };
  messages = [];
  count = 0;
  return out;
}
