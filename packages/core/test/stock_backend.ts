import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Core's tests run on tfjs's own backends: core is backend-agnostic, and `@convnets/backends`
 * (which depends on core) cannot be a dependency of it.
 */
export async function useStockBackend(name: 'cpu' | 'wasm'): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
  // The cpu backend's "Hi, looks like you are running TensorFlow.js in Node.js" banner.
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}
