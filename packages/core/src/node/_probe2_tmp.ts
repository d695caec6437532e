import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../index.js';
const info = await useBackend('webgpu');
const mode = process.argv[2] ?? '';
if (mode.includes('op')) { const y = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])); console.log((await y.data())[0]); }
if (mode.includes('destroy')) { (tf.backend() as any).device.destroy(); }
process.on('beforeExit', () => console.log('beforeExit'));
console.log('end');
