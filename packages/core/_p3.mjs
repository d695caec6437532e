import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const dawn = require('webgpu');
process.env.EGL_PLATFORM ??= 'surfaceless';
const mode = process.argv[2];
let gpu = dawn.create(['backend=opengles']);
let a = await gpu.requestAdapter({ featureLevel: 'compatibility' });
let d = await a.requestDevice();
if (mode.includes('lost')) d.lost.then(() => console.log('lost'));
if (mode.includes('buf')) { const b = d.createBuffer({size: 16, usage: GPUBufferUsage?.MAP_READ | 8 }); }
if (mode.includes('destroy')) d.destroy();
if (mode.includes('null')) { gpu = a = d = null; }
if (mode.includes('gc')) { await new Promise(r => setTimeout(r, 10)); globalThis.gc(); }
process.on('beforeExit', () => console.log('beforeExit'));
console.log('end main');
