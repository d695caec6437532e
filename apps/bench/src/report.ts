/** Text table, ratio summary and the markdown page, from rows. */
import { ceilingLines, type Ceilings } from './ceilings.js';
import type { MachineInfo } from './machine.js';
import { TORCH_MIN_STEPS, TORCH_MIN_WARMUP } from './plan.js';
import { NOISY_SPREAD, ratioSpread, type RatioSpread } from './rounds.js';
import type { BenchRow } from './row.js';

const fmt = (x: number | null | undefined, digits = 1): string => (x == null ? '—' : x.toFixed(digits));
const mib = (b: number | null | undefined): string => (b == null ? '—' : (b / 2 ** 20).toFixed(0));

const HEADER = ['model', 'backend', 'impl', 'batch', 'input', 'train img/s', 'infer img/s', 'train GFLOP/s', 'peak RSS MiB', 'peak tf MiB', 'note'];

function cells(r: BenchRow): string[] {
  return [
    r.model, r.backend, r.impl, String(r.batchSize), String(r.inputSize), fmt(r.trainImgPerSec), fmt(r.inferImgPerSec),
    fmt(r.gflops, 2), mib(r.peakBytes), mib(r.tfPeakBytes), r.note ?? '',
  ];
}

/** Rows as an aligned plain-text table. */
export function formatTable(rows: readonly BenchRow[]): string {
  const data = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...data.map((r) => r[i].length)));
  return data.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

/** Rows as a markdown table. */
export function markdownTable(rows: readonly BenchRow[]): string {
  const line = (c: string[]) => `| ${c.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(HEADER), line(HEADER.map(() => '---')), ...rows.map((r) => line(cells(r)))].join('\n');
}

function find(rows: readonly BenchRow[], model: string, backend: string, impl: string): BenchRow | undefined {
  return rows.find((r) => r.model === model && r.backend === backend && r.impl === impl);
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a != null && b != null && b > 0 ? a / b : null;
}

export interface RatioLine {
  model: string;
  what: string;
  /** The median of the per-round ratios where the rows shared rounds, else one row's img/s over the other's. */
  ratio: number | null;
  /** The range of the per-round ratios; null where the two rows did not share rounds. */
  spread: RatioSpread | null;
  target?: number;
}

/** A ratio of two rows' training (or inference) figures, with its spread over their rounds. */
function compare(ours: BenchRow, theirs: BenchRow, what: 'train' | 'infer'): Pick<RatioLine, 'ratio' | 'spread'> {
  const key = what === 'train' ? 'trainImgPerSec' : 'inferImgPerSec';
  const spread = ratioSpread(ours.rounds?.[what], theirs.rounds?.[what]);
  return { ratio: spread && ours[key] != null && theirs[key] != null ? spread.median : ratio(ours[key], theirs[key]), spread };
}

/** "rounds 0.40–0.45x" (and NOISY when they disagree by more than NOISY_SPREAD), or why there is no spread. */
export function spreadText(s: RatioSpread | null): string {
  if (!s) return 'not measured in the same rounds';
  if (s.rounds === 1) return '1 round';
  return `rounds ${s.min.toFixed(2)}–${s.max.toFixed(2)}x (${s.rounds})${s.noisy ? ' NOISY' : ''}`;
}

/** convnets vs tfjs-layers (same backend, with and without convnets' kernels) and vs PyTorch. */
export function ratios(rows: readonly BenchRow[]): RatioLine[] {
  const out: RatioLine[] = [];
  const models = [...new Set(rows.map((r) => r.model))];
  for (const m of models) {
    for (const b of ['cpu', 'wasm', 'webgpu', 'tensorflow']) {
      const ours = find(rows, m, b, 'convnets');
      if (!ours) continue;
      const theirs = find(rows, m, b, 'tfjs-layers');
      if (theirs) out.push({ model: m, what: `convnets/tfjs-layers train, ${b}`, ...compare(ours, theirs, 'train'), target: b === 'cpu' || b === 'wasm' ? 1.2 : undefined });
      const stock = find(rows, m, `${b}-stock`, 'tfjs-layers');
      if (stock) out.push({ model: m, what: `convnets/tfjs-layers train, ${b} vs ${b}-stock`, ...compare(ours, stock, 'train') });
    }
    const torch = find(rows, m, 'cpu', 'pytorch');
    const best = rows
      .filter((r) => r.model === m && r.impl === 'convnets' && ['cpu', 'wasm', 'tensorflow'].includes(r.backend) && r.trainImgPerSec != null)
      .sort((a, b) => (b.trainImgPerSec ?? 0) - (a.trainImgPerSec ?? 0))[0];
    if (torch && best) {
      out.push({ model: m, what: `convnets(best: ${best.backend})/pytorch train`, ...compare(best, torch, 'train'), target: m === 'googlenet' ? undefined : 0.5 });
      out.push({ model: m, what: `convnets(best: ${best.backend})/pytorch infer`, ...compare(best, torch, 'infer') });
    }
  }
  return out;
}

/** Each target of the issue, met or not, from the rows. */
export function targets(rows: readonly BenchRow[]): string[] {
  const lines: string[] = [];
  const mark = (ok: boolean | null) => (ok == null ? '?' : ok ? 'met' : 'MISSED');
  for (const r of ratios(rows)) {
    if (r.target == null) continue;
    lines.push(`${r.model}: ${r.what} = ${fmt(r.ratio, 2)}x, ${spreadText(r.spread)} (target >= ${r.target}x): ${mark(r.ratio == null ? null : r.ratio >= r.target)}`);
  }
  const lenetWasm = find(rows, 'lenet', 'wasm', 'convnets');
  if (lenetWasm) {
    const v = lenetWasm.trainImgPerSec;
    lines.push(`lenet: wasm training ${fmt(v, 0)} img/s (target >= 3000): ${mark(v == null ? null : v >= 3000)}`);
  }
  for (const m of [...new Set(rows.map((r) => r.model))].filter((x) => x !== 'lenet')) {
    const best = Math.max(...rows.filter((r) => r.model === m && r.impl === 'convnets' && r.gflops != null).map((r) => r.gflops as number));
    if (Number.isFinite(best)) lines.push(`${m}: best convnets training ${best.toFixed(1)} GFLOP/s (target >= 40): ${mark(best >= 40)}`);
  }
  return lines;
}

export function formatRatios(rows: readonly BenchRow[]): string {
  const rs = ratios(rows);
  if (rs.length === 0) return 'ratios: nothing to compare (need convnets rows and tfjs-layers or pytorch rows)';
  const w = Math.max(...rs.map((r) => r.model.length));
  const v = Math.max(...rs.map((r) => r.what.length));
  return [
    `ratios (x = convnets img/s divided by the other's, the median of the per-round ratios; rounds: their lowest–highest; NOISY: they differ by more than ${NOISY_SPREAD}x):`,
    ...rs.map((r) => `  ${r.model.padEnd(w)}  ${r.what.padEnd(v)}  ${(r.ratio == null ? 'n/a' : `${r.ratio.toFixed(2)}x`).padEnd(6)}  ${r.ratio == null ? '' : spreadText(r.spread)}`.trimEnd()),
  ].join('\n');
}

export interface ReportInput {
  rows: BenchRow[];
  machine: MachineInfo;
  quick: boolean;
  command: string;
  notes: string[];
  seconds: number;
  chartFile: string | null;
  ceilings: Ceilings;
  /** Rounds a network's rows were measured in (--rounds). */
  rounds: number;
  /** Whether --models/--backends/--impl narrowed the run. */
  subset: boolean;
}

/** What the run covers, when it is less than everything; and a warning when the machine was busy. */
export function coverage(r: Pick<ReportInput, 'rows' | 'subset' | 'machine'>): string[] {
  const out: string[] = [];
  if (r.subset) {
    const list = (key: 'model' | 'backend' | 'impl') => [...new Set(r.rows.filter((x) => key !== 'backend' || x.impl !== 'pytorch').map((x) => x[key]))].join(', ');
    out.push(`> This run covers only: networks ${list('model')}; tfjs backends ${list('backend') || 'none'}; impls ${list('impl')}. Rows, ratios and targets that need anything else are not in it.`, '');
  }
  // The bench's own rows keep the cores busy, so only the load before it started says whether other work was running.
  const load = r.machine.loadAverageAtStart[0];
  if (load != null && load > r.machine.cores) {
    out.push(`> The machine was busy: load average ${r.machine.loadAverageAtStart.join(', ')} on ${r.machine.cores} cores before the run started. Its figures are lower and noisier than a quiet machine's; the rounds put the noise on both sides of a ratio, and the spread beside each ratio says how much of it was left.`, '');
  }
  return out;
}

/** docs/benchmarks.md. */
export function markdownReport(r: ReportInput): string {
  const m = r.machine;
  const parts = [
    '# Benchmarks',
    '',
    '<!-- Generated by `pnpm bench` (apps/bench); do not edit by hand. -->',
    '',
    r.quick
      ? '> **Quick run** (`--quick`): few steps at small batches for the big networks; figures are indicative. Run `pnpm bench` for the full table.'
      : '> Full run.',
    '',
    ...coverage(r),
    `Command: \`${r.command}\` — ${Math.round(r.seconds)} s, ${m.date}.`,
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB (load average before the run: ${m.loadAverageAtStart.join(', ')}; at its end, with its own work: ${m.loadAverage.join(', ')})`,
    `- ${m.platform}; Node ${m.node}; TensorFlow.js ${m.tfjs}; PyTorch ${m.torch ?? 'not installed'}`,
    `- wasm rows run tfjs's threaded SIMD build on ${m.wasmThreads} thread${m.wasmThreads === 1 ? '' : 's'} through @convnets/backends (tfjs alone keeps wasm to one thread in Node, as in the wasm-stock rows); tfjs cpu is single-threaded JS;`,
    '  PyTorch uses `torch.set_num_threads(2)`.',
    '',
    '## What is measured',
    '',
    '- Training: one Adam step (lr 1e-3) on softmax cross-entropy, synced by awaiting the loss (convnets: `createModel(...)` with the `softmaxCrossEntropy` of @convnets/trainer and `Adam`; tfjs-layers: `model.trainOnBatch`; PyTorch: `loss.backward(); opt.step()`). Inference: forward + argmax, synced. Random inputs of the stated batch and size, 1 channel, 10 classes.',
    `- Rounds (\`--rounds\`, ${r.rounds} in this run): every row of a network (convnets and tfjs-layers on each backend, and PyTorch) is measured in the same rounds, taking turns (A B C, then C B A, …), so a slow phase of the machine falls on every side of a ratio. The timed steps are split over the rounds, each round warms up on its own, and a row's img/s is the median over the timed steps of all its rounds. Each tfjs round runs in a fresh child process; PyTorch runs in one long-lived \`bench_torch.py --serve\` worker per network (JSON lines over stdin/stdout), which pays Python/torch start-up once and keeps the net, Adam's state and oneDNN's primitives between rounds. A PyTorch round takes the same warm-up and timed steps as ours, but never fewer than ${TORCH_MIN_WARMUP} warm-up and ${TORCH_MIN_STEPS} timed (the \`warmup\` / \`steps\` of each row are in \`--json\`).`,
    `- Ratios: the median of the per-round ratios (round i of one row over round i of the other: the two saw the same phase of the machine), and beside it the lowest and highest of them; a row that was not in the same rounds (the stock rows) is compared by its img/s. A ratio whose rounds differ by more than ${NOISY_SPREAD}x is marked NOISY: the machine was not steady enough to trust it.`,
    '- GFLOP/s: FLOPs counted from the layer shapes (2 x MACs of every conv and linear layer; training = 3 x forward) times img/s. PyTorch rows use the same count.',
    '- Peak RSS: `process.resourceUsage().maxRSS` of the child process that ran the row, the largest over its rounds (each tfjs row or round runs in its own process; PyTorch: `ru_maxrss` of its worker, one per network). Peak tf: the highest `tf.memory().numBytes` during a profiled training step.',
    '- `cpu` / `wasm` rows run with @convnets/backends\' training kernels registered (wasm: convolution gradients as XNNPACK forward convolutions and SIMD loops; cpu: convolutions and matrix products in 4×4 JavaScript tiles); `cpu-stock` / `wasm-stock` are tfjs-layers on the backends as tfjs ships them.',
    '- cpu is one JavaScript thread: outside --quick its rows of the larger networks run at batch 8 (an AlexNet step at 32 takes over a minute), and cpu-stock covers LeNet only (tfjs cpu\'s own convolution gradients take minutes a step on the others).',
    '',
    '## Results',
    '',
    markdownTable(r.rows),
    '',
  ];
  if (r.chartFile) parts.push(`![Training images per second](${r.chartFile})`, '');
  parts.push('## Ratios', '', '```', formatRatios(r.rows), '```', '', '## Targets', '', ...targets(r.rows).map((l) => `- ${l}`), '');
  const far = ceilingLines(r.rows, r.ceilings);
  if (far.length) parts.push('## How far from the machine', '', 'Ceilings measured at the start of this run, on the same machine.', '', ...far.map((l) => `- ${l}`), '');
  if (r.notes.length) parts.push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  return parts.join('\n');
}
