/**
 * `--profile` on webgpu: what one training step costs the GPU and the CPU that feeds it.
 *
 * - Dispatches, queue submits and buffer reads (mapAsync) of the step, counted on Dawn's
 *   GPUComputePassEncoder / GPUQueue / GPUBuffer prototypes, so kernels that bypass tfjs's
 *   program path count too.
 * - Dispatches per tfjs-webgpu program (counted on the backend's recordAndSubmit).
 * - CPU time issuing the step: from the call until the step first reads a buffer back (for the
 *   convnets step, the loss: everything before it is graph building, uniforms, bind groups and
 *   encoding). On llvmpipe the "GPU" is the CPU, so this includes kernel execution there.
 * - GPU time per program from timestamp queries, through tfjs-webgpu's backend.time(), in a
 *   second step (timing gives every dispatch its own pass and submit). Only where the adapter
 *   offers `timestamp-query` (Dawn's Vulkan/Metal/D3D adapters; not its GL ES one, llvmpipe);
 *   Dawn's timestamp quantization is off in Node (packages/backends/src/node/dawn.ts).
 */
import * as tf from '@tensorflow/tfjs-core';

/** One program (kernel) of a profiled step. */
export interface ProgramProfile {
  name: string;
  dispatches: number;
  /** Summed GPU milliseconds from timestamp queries; null without timestamp-query. */
  gpuMs: number | null;
}

export interface GpuStepProfile {
  dispatches: number;
  submits: number;
  reads: number;
  /** Milliseconds from the step's start to its first buffer read (the whole step if none). */
  issueMs: number;
  /** Milliseconds the whole step took (to its last read resolved). */
  wallMs: number;
  /** Whether the device has timestamp-query (otherwise every gpuMs is null). */
  timestamps: boolean;
  /** Programs by GPU time (or dispatches without timestamps), largest first. */
  programs: ProgramProfile[];
}

/** Sums per-dispatch records by program name: largest GPU time first, then most dispatches. */
export function aggregatePrograms(records: readonly { name: string; ms?: number | null }[], timestamps: boolean): ProgramProfile[] {
  const by = new Map<string, ProgramProfile>();
  for (const r of records) {
    const e = by.get(r.name) ?? { name: r.name, dispatches: 0, gpuMs: timestamps ? 0 : null };
    e.dispatches += 1;
    if (e.gpuMs !== null) e.gpuMs += r.ms ?? 0;
    by.set(r.name, e);
  }
  return [...by.values()].sort((a, b) => (b.gpuMs ?? 0) - (a.gpuMs ?? 0) || b.dispatches - a.dispatches || a.name.localeCompare(b.name));
}

/** The profile as text lines: totals, then the top `n` programs. */
export function formatGpuProfile(title: string, p: GpuStepProfile, n = 12): string {
  const gpuTotal = p.programs.reduce((s, k) => s + (k.gpuMs ?? 0), 0);
  const head = [
    `webgpu profile, ${title} (one training step):`,
    `  ${p.dispatches} dispatches, ${p.submits} submits, ${p.reads} buffer reads; CPU issuing ${p.issueMs.toFixed(1)} ms of ${p.wallMs.toFixed(1)} ms wall`,
    p.timestamps
      ? `  GPU time (timestamp queries, each dispatch in its own pass): ${gpuTotal.toFixed(2)} ms`
      : '  GPU time: n/a (this adapter has no timestamp-query feature; Dawn on GL ES/llvmpipe has none)',
  ];
  const rows = p.programs.slice(0, n).map((k) => {
    const ms = k.gpuMs === null ? '' : `${k.gpuMs.toFixed(3).padStart(10)} ms ${((100 * k.gpuMs) / (gpuTotal || 1)).toFixed(0).padStart(3)}%`;
    return `  ${k.name.padEnd(34)} ${String(k.dispatches).padStart(5)} dispatches ${ms}`;
  });
  const rest = p.programs.length > n ? [`  … ${p.programs.length - n} more programs`] : [];
  return [...head, ...rows, ...rest].join('\n');
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** Replaces `proto[method]` with a counting wrapper; returns the undo. */
function wrap(proto: Record<string, unknown> | undefined, method: string, before: (self: unknown, args: unknown[]) => void): () => void {
  const fn = proto?.[method] as Method | undefined;
  if (!proto || typeof fn !== 'function') return () => {};
  proto[method] = function (this: unknown, ...args: unknown[]) {
    before(this, args);
    return fn.apply(this, args);
  };
  return () => {
    proto[method] = fn;
  };
}

function prototypeOf(name: string): Record<string, unknown> | undefined {
  return (globalThis as unknown as Record<string, { prototype?: Record<string, unknown> } | undefined>)[name]?.prototype;
}

interface WebgpuBackendLike {
  supportTimestampQuery?: boolean;
  recordAndSubmit?: Method;
  time(f: () => void): Promise<{ getExtraProfileInfo?: () => { name: string; ms: number }[] }>;
}

/**
 * Profiles `step` (a training step that ends by reading its loss) on the current webgpu
 * backend: one counted step, then one step under timestamp queries where available.
 */
export async function profileWebgpuStep(step: () => Promise<void>): Promise<GpuStepProfile> {
  if (tf.getBackend() !== 'webgpu') throw new Error(`profileWebgpuStep needs the webgpu backend, not ${tf.getBackend()}`);
  const backend = tf.backend() as unknown as WebgpuBackendLike;
  let dispatches = 0;
  let submits = 0;
  let reads = 0;
  let firstRead: number | undefined;
  const names: { name: string }[] = [];
  const undo = [
    wrap(prototypeOf('GPUComputePassEncoder'), 'dispatchWorkgroups', () => void dispatches++),
    wrap(prototypeOf('GPUQueue'), 'submit', () => void submits++),
    wrap(prototypeOf('GPUBuffer'), 'mapAsync', () => {
      reads++;
      firstRead ??= performance.now();
    }),
    wrap(backend as unknown as Record<string, unknown>, 'recordAndSubmit', (_self, args) => {
      names.push({ name: (args[0] as { constructor: { name: string } }).constructor.name });
    }),
  ];
  let issueMs: number;
  let wallMs: number;
  try {
    const t0 = performance.now();
    await step();
    const t1 = performance.now();
    issueMs = (firstRead ?? t1) - t0;
    wallMs = t1 - t0;
  } finally {
    for (const u of undo) u();
    // recordAndSubmit was an own-property wrapper on the instance: drop it, back to the prototype's.
    delete (backend as unknown as Record<string, unknown>).recordAndSubmit;
  }
  const timestamps = backend.supportTimestampQuery === true;
  // Dispatches recorded outside tfjs's program path (convnets' own WGSL, e.g. the fused Adam step).
  for (let i = names.length; i < dispatches; i++) names.push({ name: 'not a tfjs program (own WGSL)' });
  let programs = aggregatePrograms(names, false);
  if (timestamps) {
    let pending: Promise<void> | undefined;
    const info = await backend.time(() => {
      pending = step();
    });
    await pending;
    programs = aggregatePrograms(info.getExtraProfileInfo?.() ?? [], true);
  }
  return { dispatches, submits, reads, issueMs, wallMs, timestamps, programs };
}
