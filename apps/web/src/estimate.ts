/**
 * The time a run will take, said before Train: the training images it will see divided by a
 * rate. The rate is the one measured by the last run of the same network, input and batch on
 * this backend in this tab, else a figure measured in headless Chromium on wasm (2-core machine,
 * busy with other work: see apps/web/README.md), else none: the first steps will tell.
 */

/**
 * wasm, quick preset (its input size and batch), img/s while training in the worker: the page's
 * own rate after 30 steps (150 for LeNet), single-threaded wasm in headless Chromium 2026-12-04,
 * on 2 cores shared with other work (a quiet machine is faster: LeNet 1,400-2,300 img/s).
 */
export const WASM_QUICK_RATES: Record<string, { inputSize: number; batchSize: number; imgPerSec: number }> = {
  lenet: { inputSize: 28, batchSize: 128, imgPerSec: 1000 },
  alexnet: { inputSize: 67, batchSize: 32, imgPerSec: 24 },
  vgg11: { inputSize: 32, batchSize: 32, imgPerSec: 290 },
  nin: { inputSize: 67, batchSize: 32, imgPerSec: 21 },
  googlenet: { inputSize: 32, batchSize: 32, imgPerSec: 27 },
  resnet18: { inputSize: 32, batchSize: 32, imgPerSec: 18 },
};

export interface RunShape {
  backend: string;
  model: string;
  inputSize: number;
  batchSize: number;
  /** Training images per epoch and epochs. */
  trainImages: number;
  epochs: number;
}

const measured = new Map<string, number>();
const keyOf = (r: Pick<RunShape, 'backend' | 'model' | 'inputSize' | 'batchSize'>) => `${r.backend}|${r.model}|${r.inputSize}|${r.batchSize}`;

/** Remembers the rate a run reached (its last step's examples per second). */
export function rememberRate(r: Pick<RunShape, 'backend' | 'model' | 'inputSize' | 'batchSize'>, imgPerSec: number): void {
  if (imgPerSec > 0 && Number.isFinite(imgPerSec)) measured.set(keyOf(r), imgPerSec);
}

export function rateFor(r: Pick<RunShape, 'backend' | 'model' | 'inputSize' | 'batchSize'>): { imgPerSec: number; source: 'this tab' | 'measured' } | undefined {
  const here = measured.get(keyOf(r));
  if (here) return { imgPerSec: here, source: 'this tab' };
  const known = WASM_QUICK_RATES[r.model];
  if (r.backend === 'wasm' && known && known.inputSize === r.inputSize && known.batchSize === r.batchSize) return { imgPerSec: known.imgPerSec, source: 'measured' };
  return undefined;
}

/** "0:42", "12:05", "1:02:09". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** "~2 min", "~40 s", "~1.5 h". */
export function roughDuration(seconds: number): string {
  if (seconds < 90) return `~${Math.max(5, Math.round(seconds / 5) * 5)} s`;
  if (seconds < 90 * 60) return `~${Math.round(seconds / 60)} min`;
  return `~${(seconds / 3600).toFixed(1)} h`;
}

/** Throughput with sensible precision: "0.4", "12", "2,140". */
export function formatRate(imgPerSec: number): string {
  if (!(imgPerSec > 0)) return '…';
  if (imgPerSec < 10) return imgPerSec.toFixed(1);
  if (imgPerSec < 1000) return String(Math.round(imgPerSec));
  return (Math.round(imgPerSec / 10) * 10).toLocaleString('en-US');
}

/** The line under Train: how long, at what rate, and where the rate comes from. */
export function estimateText(r: RunShape): string {
  const images = r.trainImages * r.epochs;
  const rate = rateFor(r);
  if (!rate) return `${images.toLocaleString('en-US')} training images; no time estimate for ${r.model} at ${r.inputSize}×${r.inputSize} on ${r.backend} yet: the first steps will show the rate and an ETA.`;
  const from = rate.source === 'this tab' ? 'as measured in this tab' : 'as measured in headless Chromium on 2 busy cores';
  return `${roughDuration(images / rate.imgPerSec)} on ${r.backend} at ~${formatRate(rate.imgPerSec)} img/s (${images.toLocaleString('en-US')} training images, ${from}; plus a test pass per epoch).`;
}
