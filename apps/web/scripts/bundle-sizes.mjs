/* global process, Buffer, console */
// What the demo's worker downloads per backend, from a `vite build` output folder: the worker
// chunk, the chosen backend's chunk (found by a string only that tfjs backend holds), and the
// chunks they import statically. Raw and gzip bytes of the JavaScript (tfjs's .wasm files,
// fetched on wasm only, are left out).
//
//   node apps/web/scripts/bundle-sizes.mjs apps/web/dist
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = join(process.argv[2] ?? 'dist', 'assets');
const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
const text = Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
const staticImports = (f) => [...text[f].matchAll(/(?:import|from)\s*["']\.\/([^"']+\.js)["']/g)].map((m) => m[1]);
const withImports = (roots) => {
  const seen = new Set();
  const visit = (f) => {
    if (seen.has(f)) return;
    seen.add(f);
    staticImports(f).forEach(visit);
  };
  roots.forEach(visit);
  return [...seen];
};
const size = (chunks) => {
  const raw = chunks.reduce((n, f) => n + Buffer.byteLength(text[f]), 0);
  const gzip = chunks.reduce((n, f) => n + gzipSync(text[f]).length, 0);
  return `${(raw / 1000).toFixed(1)} kB (gzip ${(gzip / 1000).toFixed(1)} kB)`;
};
const worker = files.find((f) => f.startsWith('worker-'));
if (!worker) throw new Error(`no worker-*.js in ${dir}: pass the folder vite build wrote`);
const MARKERS = { webgpu: /GPUBufferUsage/, wasm: /tfjs-backend-wasm-simd\.wasm/, cpu: /looks like you are running TensorFlow\.js in Node/ };
console.log(`worker chunk and its static imports: ${size(withImports([worker]))}`);
for (const [backend, marker] of Object.entries(MARKERS)) {
  const chunk = files.find((f) => f !== worker && marker.test(text[f]));
  console.log(`on ${backend}: ${size(withImports([worker, chunk]))}`);
}
console.log(`all JavaScript: ${size(files)}`);
