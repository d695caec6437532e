import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, type BackendName } from './types.js';

/** tf.setBackend, except that false (silently staying on the old backend) is an error. */
export async function setBackendChecked(name: BackendName): Promise<void> {
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
}
