// Used by wasm_threads_test: trains a small CNN on wasm with CONVNETS_WASM_THREADS threads,
// prints what it computed, and must then exit on its own.
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../index.js';
import { helperThreadsStarted } from './helper_threads.js';

const info = await useBackend('wasm');
// 16·32·32 rows × 32 × 72: enough multiply-adds for the filter gradient to start a helper thread.
const x = tf.randomUniform([16, 34, 34, 8], -1, 1, 'float32', 1) as tf.Tensor4D;
const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5], 'int32'), 10);
const w1 = tf.variable(tf.randomUniform([3, 3, 8, 32], -0.2, 0.2, 'float32', 2));
const w2 = tf.variable(tf.randomUniform([16 * 16 * 32, 10], -0.01, 0.01, 'float32', 3));
const opt = tf.train.adam(0.001);
const losses: number[] = [];
for (let step = 0; step < 5; step++) {
  const loss = opt.minimize(() => {
    const h = tf.maxPool(tf.relu(tf.conv2d(x, w1 as tf.Tensor4D, 1, 'valid')), 2, 2, 'valid');
    return tf.losses.softmaxCrossEntropy(y, tf.matMul(tf.reshape(h, [16, 16 * 16 * 32]), w2));
  }, true)!;
  losses.push((await loss.data())[0]!);
  loss.dispose();
}
console.log(JSON.stringify({ threads: info.details?.threads, threadsNote: info.details?.threadsNote, helpers: helperThreadsStarted(), losses, w2: Array.from(await w2.data()).slice(0, 20) }));
