import * as tf from '@tensorflow/tfjs-core';
const orig = globalThis.setImmediate;
let n = 0;
(globalThis as any).setImmediate = function (fn: any, ...args: any[]) {
  if (n++ < 3) console.log('SI', JSON.stringify(fn.name), Function.prototype.toString.call(fn).slice(0, 60), new Error().stack?.split('\n').length);
  return orig(fn, ...args);
};
const { useBackend } = await import('../index.js');
await useBackend('webgpu');
console.log('n', n);
