import * as tf from '@tensorflow/tfjs-core';
import { registerTrainingKernels } from './training_kernels.js';
import { BackendUnavailableError, type BackendName } from './types.js';

/**
 * tf.setBackend, except that false (silently staying on the old backend) is an error.
 * Registers core's training kernels for wasm/cpu first, so training works on them.
 */
export async function setBackendChecked(name: BackendName): Promise<void> {
  registerTrainingKernels([name]);
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } catch (e) {
    throw new BackendUnavailableError(name, `initialisation failed: ${(e as Error).message}`);
  }
  if (!ok || tf.getBackend() !== name) {
    throw new BackendUnavailableError(name, `tf.setBackend('${name}') failed (tfjs stayed on ${tf.getBackend() ?? 'no backend'})`);
  }
  await tf.ready();
  if (name === 'cpu') silenceCpuBanner();
}

/**
 * The cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js..." on its
 * first write in Node. The backend gates it on its own `firstUse` field; clearing that field
 * silences just this banner (tf.enableProdMode would silence every tfjs warning).
 */
export function silenceCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}
