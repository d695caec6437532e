/**
 * The ceiling of every wasm row: GFLOP/s of a 6×8 register-tiled matrix-product inner loop
 * (XNNPACK's shape of kernel) on operands that stay in L1, per thread and on all wasm threads
 * at once. Plain SIMD128 has no fused multiply-add, so each 4-lane multiply-add costs two
 * instructions; relaxed SIMD's f32x4.relaxed_madd is measured too where this runtime has it.
 */
import { Worker } from 'node:worker_threads';
import wabtInit from 'wabt';

export const K = 256;
const A_OFFSET = 0; // 6 floats per k
const B_OFFSET = 16384; // 8 floats per k
/** Where `run` leaves its 12 accumulators (6 rows × 8 columns of the tile). */
export const C_OFFSET = 32768;
const FLOPS_PER_REP = K * 6 * 8 * 2;

type Madd = (a: string, b: string, c: string) => string;
const MADD: Record<'plain' | 'relaxed', Madd> = {
  plain: (a, b, c) => `(f32x4.add (local.get ${c}) (f32x4.mul (local.get ${a}) (local.get ${b})))`,
  relaxed: (a, b, c) => `(f32x4.relaxed_madd (local.get ${a}) (local.get ${b}) (local.get ${c}))`,
};

function kernelWat(madd: Madd): string {
  const acc = Array.from({ length: 6 }, (_, i) => [`$c${i}0`, `$c${i}1`]);
  const step = acc
    .map(([c0, c1], i) => [
      `(local.set $a (v128.load32_splat offset=${4 * i} (local.get $pa)))`,
      `(local.set ${c0} ${madd('$a', '$b0', c0)})`,
      `(local.set ${c1} ${madd('$a', '$b1', c1)})`,
    ].join('\n'))
    .join('\n');
  const stores = acc.flat().map((c, j) => `(v128.store offset=${C_OFFSET + 16 * j} (i32.const 0) (local.get ${c}))`).join('\n');
  return `(module
  (memory (export "memory") 1)
  (func (export "run") (param $reps i32)
    ${[...acc.flat(), '$a', '$b0', '$b1'].map((v) => `(local ${v} v128)`).join(' ')} (local $pa i32) (local $pb i32)
    (block $done (loop $rep
      (br_if $done (i32.eqz (local.get $reps)))
      (local.set $pa (i32.const ${A_OFFSET}))
      (local.set $pb (i32.const ${B_OFFSET}))
      (loop $k
        (local.set $b0 (v128.load (local.get $pb)))
        (local.set $b1 (v128.load offset=16 (local.get $pb)))
        ${step}
        (local.set $pa (i32.add (local.get $pa) (i32.const 24)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
        (br_if $k (i32.lt_u (local.get $pa) (i32.const ${A_OFFSET + 24 * K}))))
      (local.set $reps (i32.sub (local.get $reps) (i32.const 1)))
      (br $rep)))
    ${stores}))`;
}

/** The kernel's module: `run(reps)` does reps × K steps of the tile's 48 multiply-adds. */
export async function kernelModule(kind: 'plain' | 'relaxed'): Promise<Uint8Array<ArrayBuffer>> {
  const wabt = await wabtInit();
  const features = { simd: true, relaxed_simd: true };
  const mod = wabt.parseWat('simd_peak.wat', kernelWat(MADD[kind]), features);
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
  parentPort.postMessage({ flops: reps * ${FLOPS_PER_REP}, ms: performance.now() - t0 });
});
parentPort.postMessage('ready');
`;

const ROUNDS = 3;

/**
 * GFLOP/s of `threads` workers started together: each round's work over its slowest worker's
 * time, the best of ROUNDS rounds.
 */
async function measure(bytes: Uint8Array<ArrayBuffer>, threads: number): Promise<number> {
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_SOURCE, { eval: true, workerData: { bytes } }));
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

export interface SimdPeak {
  threads: number;
  /** SIMD128 multiply then add: GFLOP/s on one thread, and on `threads` at once. */
  plain: { oneThread: number; allThreads: number };
  /** relaxed_madd (fused where the CPU has FMA); null with why where the runtime lacks relaxed SIMD. */
  relaxed: { oneThread: number; allThreads: number } | { unavailable: string };
}

export async function simdPeak(threads: number): Promise<SimdPeak> {
  const rates = async (bytes: Uint8Array<ArrayBuffer>) => ({ oneThread: await measure(bytes, 1), allThreads: await measure(bytes, threads) });
  const plain = await rates(await kernelModule('plain'));
  const relaxedBytes = await kernelModule('relaxed');
  const relaxed = WebAssembly.validate(relaxedBytes)
    ? await rates(relaxedBytes)
    : { unavailable: `Node ${process.version} has no relaxed SIMD (V8 ships it from Node 22; Chrome 114)` };
  return { threads, plain, relaxed };
}
