import { simdPeak } from '../src/simd_peak.js';
for (let i = 0; i < 5; i++) {
  const p = await simdPeak(2);
  const r = 'best' in p.relaxed ? p.relaxed : null;
  const t1p = Math.max(...p.tiles.map((t) => t.oneThread)), t1r = r ? Math.max(...r.tiles.map((t) => t.oneThread)) : 0;
  console.log(`plain ${p.plain.tile} ${p.plain.allThreads.toFixed(1)}  relaxed ${r?.best.tile} ${r?.best.allThreads.toFixed(1)}  ratio2t ${(r!.best.allThreads / p.plain.allThreads).toFixed(2)}  1t: ${t1p.toFixed(1)} ${t1r.toFixed(1)} ratio1t ${(t1r / t1p).toFixed(2)}`);
}
