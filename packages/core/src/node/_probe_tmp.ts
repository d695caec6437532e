import { useBackend } from '../index.js';
const t0 = Date.now();
for (const n of (process.argv[2] ?? 'auto').split(',')) {
  try { const info = await useBackend(n as never); console.log(n, JSON.stringify(info), Date.now() - t0); } catch (e) { console.log('ERR', n, (e as Error).message); }
}
