/**
 * The machine's ceilings, measured in the same run as the rows, and how far each network's
 * training is from them: the wasm rows against what WebAssembly SIMD can do here, PyTorch
 * against its own native kernels.
 */
import { nativePeak, type NativePeak } from './pytorch.js';
import type { BenchRow } from './row.js';
import { simdPeak, type SimdPeak } from './simd_peak.js';

/** Side of the native product: large enough that oneDNN runs at full rate. */
const NATIVE_SIZE = 2048;

export interface Ceilings {
  /** Absent when the run has no wasm rows. */
  simd?: SimdPeak;
  /** Absent when the run leaves PyTorch out. */
  native?: NativePeak | { unavailable: string };
}

export async function measureCeilings(opts: { wasmThreads: number; wasm: boolean; pytorch: boolean }): Promise<Ceilings> {
  return {
    simd: opts.wasm ? await simdPeak(opts.wasmThreads) : undefined,
    native: opts.pytorch ? await nativePeak(NATIVE_SIZE) : undefined,
  };
}

const f1 = (x: number) => x.toFixed(1);
const pct = (x: number, of: number) => `${Math.round((100 * x) / of)}%`;

function bestGflops(rows: readonly BenchRow[], model: string, impl: string, backend?: string): number | null {
  const rates = rows
    .filter((r) => r.model === model && r.impl === impl && (backend == null || r.backend === backend) && r.gflops != null)
    .map((r) => r.gflops as number);
  return rates.length ? Math.max(...rates) : null;
}

/** The ceilings, then one line a network: its training GFLOP/s as a share of them. */
export function ceilingLines(rows: readonly BenchRow[], c: Ceilings): string[] {
  const lines: string[] = [];
  const simd = c.simd?.plain;
  if (c.simd && simd) {
    const t = c.simd.threads;
    const each = c.simd.tiles.map((r) => `${r.tile} ${f1(r.oneThread)} / ${f1(r.allThreads)}`).join(', ');
    lines.push(`wasm SIMD128, multiply then add, register tiles on operands in L1 (XNNPACK's kind of kernel), GFLOP/s on one thread / on ${t} at once: ${each}. The ceiling is the best, ${simd.tile}'s ${f1(simd.allThreads)}: V8 keeps one of x64's 16 vector registers for itself and needs a spare for each product, so a 6×8 tile's 12 accumulators spill.`);
    const r = c.simd.relaxed;
    lines.push('unavailable' in r
      ? `relaxed SIMD (fused multiply-add): not measured: ${r.unavailable}.`
      : `relaxed SIMD, one f32x4.relaxed_madd per multiply-add (FMA, no spare register), the same tiles: ${r.tiles.map((x) => `${x.tile} ${f1(x.oneThread)} / ${f1(x.allThreads)}`).join(', ')}. The relaxed ceiling is ${r.best.tile}'s ${f1(r.best.allThreads)}, ${f1(r.best.allThreads / simd.allThreads)}× the SIMD128 one; convnets' kernels use relaxed SIMD where the runtime has it.`);
  }
  const n = c.native;
  if (n && 'unavailable' in n) lines.push(`native: not measured: ${n.unavailable}.`);
  else if (n) lines.push(`native, PyTorch on ${n.threads} threads, a ${n.size}³ float32 product: ${f1(n.conv1x1)} GFLOP/s as a 1×1 convolution (oneDNN, which runs PyTorch's conv layers), ${f1(n.mm)} as torch.mm (its BLAS).`);
  const native = n && !('unavailable' in n) ? n.conv1x1 : null;
  for (const model of [...new Set(rows.map((r) => r.model))]) {
    const ours = bestGflops(rows, model, 'convnets', 'wasm');
    const torch = bestGflops(rows, model, 'pytorch');
    const parts: string[] = [];
    const relaxed = c.simd && !('unavailable' in c.simd.relaxed) ? c.simd.relaxed.best.allThreads : null;
    if (ours != null && simd) parts.push(`convnets on wasm ${f1(ours)} GFLOP/s = ${pct(ours, simd.allThreads)} of the wasm SIMD128 ceiling${relaxed ? `, ${pct(ours, relaxed)} of the relaxed one` : ''}`);
    if (torch != null && native) parts.push(`PyTorch ${f1(torch)} = ${pct(torch, native)} of oneDNN's`);
    if (torch != null && simd) parts.push(`0.5x PyTorch would take ${f1(torch / 2)} = ${pct(torch / 2, simd.allThreads)} of the wasm ceiling`);
    if (parts.length) lines.push(`${model}: ${parts.join('; ')}.`);
  }
  return lines;
}
