// Used by training_step_test: a script that uses webgpu and must then exit on its own.
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, useBackend } from '../index.js';

try {
  await useBackend('webgpu');
} catch (e) {
  if (!(e instanceof BackendUnavailableError)) throw e;
  console.log(`SKIP ${e.message}`);
}
if (tf.getBackend() === 'webgpu') {
  const y = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]));
  console.log(`sum ${(await tf.sum(y).data())[0]! / 64}`);
}
// A promise's resolve function handed to setImmediate must still hold the event loop
// (Dawn's own polls, which must not, are told apart from it).
await new Promise((resolve) => setImmediate(resolve));
console.log('yielded');
