import * as tf from '@tensorflow/tfjs-core';

/** Why the GPU device went away, as WebGPU's GPUDeviceLostInfo says it. */
export interface GpuDeviceLoss {
  /** 'destroyed' or 'unknown' (a driver reset, a GPU process crash, a watchdog). */
  reason: string;
  message: string;
}

interface LosableDevice {
  lost: Promise<{ reason: string; message: string }>;
}

/** A lost GPU device: the error that a failed read or dispatch turns into once the loss is known. */
export class GpuDeviceLostError extends Error {
  constructor(
    readonly loss: GpuDeviceLoss,
    options: { cause?: unknown } = {},
  ) {
    super(`the GPU device was lost (${[loss.reason, loss.message].filter(Boolean).join(': ')})`, options);
    this.name = 'GpuDeviceLostError';
  }
}

let watched: Promise<GpuDeviceLoss> | undefined;

/**
 * Keeps the webgpu backend's device loss in view (called once tfjs is on webgpu). tfjs itself
 * ignores device.lost: reads fail with the runtime's own words (an empty message in Dawn,
 * "A valid external Instance reference no longer exists" in Chromium), or not at all.
 */
export function watchWebgpuDevice(): void {
  const device = (tf.findBackend('webgpu') as unknown as { device?: LosableDevice } | null)?.device;
  if (!device) return;
  watched = device.lost.then((info) => ({ reason: String(info.reason), message: info.message }));
}

/** The loss, once the device is known to be lost; undefined while it lives (or was never used). */
export async function webgpuDeviceLoss(waitMs = 0): Promise<GpuDeviceLoss | undefined> {
  if (!watched) return undefined;
  let cancel = (): void => undefined;
  const timeout = new Promise<undefined>((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    cancel = () => clearTimeout(timer);
  });
  try {
    return await Promise.race([watched, timeout]);
  } finally {
    cancel();
  }
}

/**
 * `e` as a GpuDeviceLostError when the webgpu device is lost, else undefined. device.lost may
 * settle just after the read that failed on it, so this waits for it up to `waitMs`.
 */
export async function asGpuDeviceLost(e: unknown, waitMs = 1000): Promise<GpuDeviceLostError | undefined> {
  if (e instanceof GpuDeviceLostError) return e;
  const loss = await webgpuDeviceLoss(waitMs);
  return loss && new GpuDeviceLostError(loss, { cause: e });
}
