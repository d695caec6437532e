/**
 * The hand-written wasm kernels, SIMD128 build against relaxed-SIMD build, in one process:
 * rounds alternate the two builds, each round times REPS calls per build and shape, and the best
 * round of each is kept (a loaded machine's noise only ever slows a call down). Prints ms and
 * GFLOP/s per build and the relaxed/SIMD128 ratio, for the forward convolution (convGemm) and
 * the filter gradient (filterGradGemm), or convNarrow and the single-channel filter-gradient loop
 * for a first layer of few channels.
 *
 *   node --conditions=@convnets/source --import tsx packages/backends/scripts/simd-build-bench.ts ['[[n,h,w,c,k,o,stride,pad],...]']
 *
 * ROUNDS (default 5), REPS (default 3); threads as useBackend('wasm') picks (CONVNETS_WASM_THREADS).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { useBackend } from '../src/index.js';
import { nhwcConv2DInfo } from '../src/shared/conv2d_info.js';
import { convGemm } from '../src/wasm/conv_gemm.js';
import { convNarrow } from '../src/wasm/conv_narrow.js';
import { filterGradGemm } from '../src/wasm/filter_grad_gemm.js';
import { filterGradSingleChannel } from '../src/wasm/filter_grad_single_channel.js';
import { forceWasmSimdBuild, WASM_SIMD_BUILDS, type WasmSimdBuild } from '../src/wasm/simd_build.js';

type Shape = [n: number, h: number, w: number, c: number, k: number, o: number, stride: number, pad: number];
const DEFAULT_SHAPES: Shape[] = [
  [32, 26, 26, 96, 5, 256, 1, 2], // AlexNet conv2 (batch 32)
  [32, 12, 12, 256, 3, 384, 1, 1], // AlexNet conv3
  [32, 54, 54, 96, 1, 96, 1, 0], // NiN 1x1
  [64, 28, 28, 1, 5, 6, 1, 2], // LeNet conv1 (convNarrow, the single-channel filter-gradient loop)
];
const shapes = (process.argv[2] ? JSON.parse(process.argv[2]) : DEFAULT_SHAPES) as Shape[];
const rounds = Number(process.env.ROUNDS ?? 5);
const reps = Number(process.env.REPS ?? 3);

const info = await useBackend('wasm');
console.log(`wasm ${JSON.stringify(info.details)}; ${rounds} rounds × ${reps} calls, best round kept`);

interface Job { name: string; flops: number; run(): TensorInfo | null }
const jobs: Job[] = [];
for (const [n, h, w, c, k, o, s, p] of shapes) {
  const x = tf.randomUniform([n, h, w, c], -1, 1, 'float32', 1);
  const filter = tf.randomUniform([k, k, c, o], -1, 1, 'float32', 2);
  const ci = nhwcConv2DInfo([n, h, w, c], [k, k, c, o], { strides: s, pad: [[0, 0], [p, p], [p, p], [0, 0]] as never, dimRoundingMode: undefined });
  const dy = tf.randomUniform([n, ci.outHeight, ci.outWidth, o], -1, 1, 'float32', 3);
  const flops = 2 * n * ci.outHeight * ci.outWidth * k * k * c * o;
  const tag = `[${n},${h},${w},${c},${k},${o},${s},${p}]`;
  const candidates: Job[] = [
    { name: `forward ${tag}`, flops, run: () => (o <= 8 ? convNarrow(tf.backend(), x, filter, undefined, true, ci) : convGemm(tf.backend(), x, filter, undefined, 'relu', ci)) },
    { name: `filter grad ${tag}`, flops, run: () => (c === 1 ? filterGradSingleChannel : filterGradGemm)(tf.backend(), x, dy, ci) },
  ];
  for (const job of candidates) {
    const out = job.run();
    if (out) tf.backend().disposeData(out.dataId);
    if (out) jobs.push(job);
    else console.log(`${job.name}: the hand-written kernel declines this shape (XNNPACK's runs it), skipped`);
  }
}

const best = new Map<string, number>();
for (let round = 0; round <= rounds; round++) {
  for (const build of round % 2 ? [...WASM_SIMD_BUILDS].reverse() : WASM_SIMD_BUILDS) {
    forceWasmSimdBuild(build);
    for (const job of jobs) {
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) {
        tf.backend().disposeData(job.run()!.dataId);
      }
      const ms = (performance.now() - t0) / reps;
      const key = `${job.name}|${build}`;
      if (round > 0) best.set(key, Math.min(best.get(key) ?? Infinity, ms)); // round 0 warms both builds up
    }
  }
}
const gflops = (job: Job, build: WasmSimdBuild) => job.flops / (best.get(`${job.name}|${build}`)! * 1e6);
for (const job of jobs) {
  const [plain, relaxed] = [gflops(job, 'simd128'), gflops(job, 'relaxed-simd')];
  console.log(`${job.name.padEnd(36)} simd128 ${best.get(`${job.name}|simd128`)!.toFixed(1)} ms ${plain.toFixed(1)} GFLOP/s | relaxed ${best.get(`${job.name}|relaxed-simd`)!.toFixed(1)} ms ${relaxed.toFixed(1)} GFLOP/s | ×${(relaxed / plain).toFixed(2)}`);
}
