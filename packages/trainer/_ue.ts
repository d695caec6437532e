import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';
await useBackend('webgpu', { allowFallbackAdapter: true });
const dev = (tf.backend() as unknown as { device: GPUDevice }).device;
const seen: string[] = [];
console.log('has addEventListener', typeof (dev as unknown as EventTarget).addEventListener, 'onuncapturederror' in dev);
try { (dev as unknown as EventTarget).addEventListener('uncapturederror', (e) => seen.push('listener: ' + (e as GPUUncapturedErrorEvent).error.message.slice(0, 80))); } catch (e) { console.log('addEventListener threw', String(e)); }
try { dev.onuncapturederror = (e) => seen.push('on: ' + e.error.message.slice(0, 80)); } catch (e) { console.log('on threw', String(e)); }
dev.createBuffer({ size: 4, usage: 0 });
console.log('sync seen', seen.length);
await new Promise((r) => setTimeout(r, 50));
console.log('after timeout seen', seen.length, seen);
const x = tf.tensor1d([1, 2, 3]);
const y = tf.mul(x, 2);
await y.data();
console.log('after read seen', seen.length);
process.exit(0);
