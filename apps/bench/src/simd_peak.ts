/**
 * The ceiling of every wasm row: GFLOP/s of a register-tiled matrix-product inner loop
 * (XNNPACK's shape of kernel) on operands that stay in L1, per thread and on all wasm threads
 * at once, for a few tile shapes; the best one is the ceiling. The shape matters more than it
 * seems: V8 keeps one of x64's 16 vector registers for itself and needs one more for each
 * product, so a 6×8 tile's 12 accumulators spill and run at about half the rate of 4×8's 8.
 * Plain SIMD128 has no fused multiply-add, so each 4-lane multiply-add costs two instructions;
 * relaxed SIMD's f32x4.relaxed_madd (one FMA, no spare register) is swept over the same tiles
 * where this runtime has it (on Node 20 through enableRelaxedSimd, as convnets' kernels do).
 * The two builds are measured in turns, tile by tile, and each keeps its best over the passes:
 * measured one after the other, a slow phase once put the relaxed ceiling at 0.8× the plain one,
 * below the rate convnets' own relaxed GEMM reaches.
 */
import { enableRelaxedSimd } from '@convnets/backends/node';
import { Worker } from 'node:worker_threads';
import wabtInit from 'wabt';

export const K = 256;
const A_OFFSET = 0;
const B_OFFSET = 16384;
/** Where `run` leaves its accumulators (row by row of the tile). */
export const C_OFFSET = 32768;

/** A tile of `rows` splatted A values times `vectors` 4-lane B vectors. */
export interface Tile {
  rows: number;
  vectors: number;
}
export const TILES: readonly Tile[] = [{ rows: 6, vectors: 2 }, { rows: 4, vectors: 2 }, { rows: 2, vectors: 4 }];
export const tileName = (t: Tile) => `${t.rows}×${4 * t.vectors}`;
const flopsPerRep = (t: Tile) => K * t.rows * t.vectors * 4 * 2;

type Madd = (a: string, b: string, c: string) => string;
const MADD: Record<'plain' | 'relaxed', Madd> = {
  plain: (a, b, c) => `(f32x4.add (local.get ${c}) (f32x4.mul (local.get ${a}) (local.get ${b})))`,
  relaxed: (a, b, c) => `(f32x4.relaxed_madd (local.get ${a}) (local.get ${b}) (local.get ${c}))`,
};

function kernelWat(madd: Madd, tile: Tile): string {
  const bs = Array.from({ length: tile.vectors }, (_, j) => `$b${j}`);
  const acc = Array.from({ length: tile.rows }, (_, i) => bs.map((_, j) => `$c${i}_${j}`));
  const loads = bs.map((b, j) => `(local.set ${b} (v128.load offset=${16 * j} (local.get $pb)))`);
  const step = acc
    .map((row, i) => [
      `(local.set $a (v128.load32_splat offset=${4 * i} (local.get $pa)))`,
      ...row.map((c, j) => `(local.set ${c} ${madd('$a', bs[j]!, c)})`),
    ].join('\n'))
    .join('\n');
  const stores = acc.flat().map((c, j) => `(v128.store offset=${C_OFFSET + 16 * j} (i32.const 0) (local.get ${c}))`).join('\n');
  const aStep = 4 * tile.rows;
  return `(module
  (memory (export "memory") 1)
  (func (export "run") (param $reps i32)
    ${[...acc.flat(), '$a', ...bs].map((v) => `(local ${v} v128)`).join(' ')} (local $pa i32) (local $pb i32)
    (block $done (loop $rep
      (br_if $done (i32.eqz (local.get $reps)))
      (local.set $pa (i32.const ${A_OFFSET}))
      (local.set $pb (i32.const ${B_OFFSET}))
      (loop $k
        ${loads.join('\n')}
        ${step}
        (local.set $pa (i32.add (local.get $pa) (i32.const ${aStep})))
        (local.set $pb (i32.add (local.get $pb) (i32.const ${16 * tile.vectors})))
        (br_if $k (i32.lt_u (local.get $pa) (i32.const ${A_OFFSET + aStep * K}))))
      (local.set $reps (i32.sub (local.get $reps) (i32.const 1)))
      (br $rep)))
    ${stores}))`;
}

/** The kernel's module: `run(reps)` does reps × K steps of the tile's multiply-adds. */
export async function kernelModule(kind: 'plain' | 'relaxed', tile: Tile): Promise<Uint8Array<ArrayBuffer>> {
  const wabt = await wabtInit();
  const features = { simd: true, relaxed_simd: true };
  const mod = wabt.parseWat('simd_peak.wat', kernelWat(MADD[kind], tile), features);
  try {
    mod.validate();
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

// Runs in each worker: fills the operands, finds reps for ~0.3 s, then times one run per 'go'.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const instance = new WebAssembly.Instance(new WebAssembly.Module(workerData.bytes), {});
new Float32Array(instance.exports.memory.buffer, 0, ${C_OFFSET / 4}).fill(1e-3);
let reps = 64;
for (;;) {
  const t0 = performance.now();
  instance.exports.run(reps);
  if (performance.now() - t0 > 100) break;
  reps *= 2;
}
reps *= 3;
parentPort.on('message', () => {
  const t0 = performance.now();
  instance.exports.run(reps);
  parentPort.postMessage({ flops: reps * workerData.flopsPerRep, ms: performance.now() - t0 });
});
parentPort.postMessage('ready');
`;

const ROUNDS = 3;

/**
 * GFLOP/s of `threads` workers started together: each round's work over its slowest worker's
 * time, the best of ROUNDS rounds.
 */
async function measure(bytes: Uint8Array<ArrayBuffer>, tile: Tile, threads: number): Promise<number> {
  const workerData = { bytes, flopsPerRep: flopsPerRep(tile) };
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_SOURCE, { eval: true, workerData }));
  const reply = <T>(w: Worker) => new Promise<T>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  try {
    await Promise.all(workers.map((w) => reply(w)));
    let best = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const runs = workers.map((w) => reply<{ flops: number; ms: number }>(w));
      for (const w of workers) w.postMessage('go');
      const done = await Promise.all(runs);
      const flops = done.reduce((s, r) => s + r.flops, 0);
      best = Math.max(best, flops / (Math.max(...done.map((r) => r.ms)) * 1e6));
    }
    return best;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

export interface Rates {
  oneThread: number;
  allThreads: number;
}

export interface SimdPeak {
  threads: number;
  /** SIMD128 multiply then add, GFLOP/s on one thread and on `threads` at once, per tile. */
  tiles: (Rates & { tile: string })[];
  /** The tile with the best rate on all threads: the ceiling. */
  plain: Rates & { tile: string };
  /** relaxed_madd (fused where the CPU has FMA) per tile and the best; why not where the runtime lacks relaxed SIMD. */
  relaxed: { tiles: (Rates & { tile: string })[]; best: Rates & { tile: string } } | { unavailable: string };
}

/** Passes over the tiles; plain and relaxed take turns within each, so a slow phase of a shared machine falls on both. */
const PASSES = 2;

export async function simdPeak(threads: number): Promise<SimdPeak> {
  const hasRelaxed = enableRelaxedSimd() && WebAssembly.validate(await kernelModule('relaxed', TILES[0]!));
  const kinds: ('plain' | 'relaxed')[] = hasRelaxed ? ['plain', 'relaxed'] : ['plain'];
  const best = new Map<string, Rates>();
  for (let pass = 0; pass < PASSES; pass++) {
    for (const tile of TILES) {
      for (const kind of kinds) {
        const bytes = await kernelModule(kind, tile);
        const key = `${kind} ${tileName(tile)}`;
        const seen = best.get(key) ?? { oneThread: 0, allThreads: 0 };
        best.set(key, {
          oneThread: Math.max(seen.oneThread, await measure(bytes, tile, 1)),
          allThreads: Math.max(seen.allThreads, await measure(bytes, tile, threads)),
        });
      }
    }
  }
  const sweep = (kind: 'plain' | 'relaxed') => {
    const tiles = TILES.map((t) => ({ tile: tileName(t), ...best.get(`${kind} ${tileName(t)}`)! }));
    return { tiles, best: tiles.reduce((a, b) => (b.allThreads > a.allThreads ? b : a)) };
  };
  const plain = sweep('plain');
  const relaxed = hasRelaxed
    ? sweep('relaxed')
    : { unavailable: `Node ${process.version} has no relaxed SIMD (Node 22+; Node 20 with --experimental-wasm-relaxed-simd)` };
  return { threads, tiles: plain.tiles, plain: plain.best, relaxed };
}
