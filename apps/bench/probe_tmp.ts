import { measureRow } from './src/measure.js';
const [model, backend, impl, b, w, s] = process.argv.slice(2);
const t = performance.now();
const r = await measureRow({ model: model as never, backend: backend as never, impl: impl as never, batchSize: +b, warmup: +w, steps: +s, profile: true });
console.error(JSON.stringify(r), ((performance.now() - t) / 1000).toFixed(1), 's');
