/**
 * Per-epoch progress on stderr: a redrawn cli-progress bar on a terminal, plain lines about
 * every tenth of an epoch when stderr is a pipe or a CI log. Epoch lines go to stdout.
 * The loss comes from the trainer's non-blocking reads (onLoss every few steps) and its
 * periodic sums (onStep); a new epoch starts with no loss shown until its own arrives.
 */
import cliProgress from 'cli-progress';
import type { LossEvent } from '@convnets/trainer';
import { terminalWidth } from './terminal.js';

export interface StepInfo {
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  loss?: number;
  trainAcc?: number;
  examplesPerSec: number;
}

export interface ProgressOptions {
  epochs: number;
  tty: boolean;
  stream?: NodeJS.WriteStream;
  /** Plain mode: lines per epoch (default 10). */
  linesPerEpoch?: number;
}

export class EpochProgress {
  private bar: cliProgress.SingleBar | null = null;
  private epoch = 0;
  private epochStart = 0;
  private firstStep = 0;
  private nextPlain = 0;
  private lastLoss: number | undefined;
  private readonly stream: NodeJS.WriteStream;

  constructor(private readonly o: ProgressOptions) {
    this.stream = o.stream ?? process.stderr;
  }

  /** A running loss read back after `e.step` of `e.epoch` (ignored once that epoch is over). */
  loss(e: LossEvent): void {
    if (e.epoch === this.epoch && Number.isFinite(e.loss)) this.lastLoss = e.loss;
  }

  update(e: StepInfo): void {
    if (e.epoch !== this.epoch) this.begin(e);
    if (e.loss !== undefined && Number.isFinite(e.loss)) this.lastLoss = e.loss;
    const loss = this.lastLoss === undefined ? '-' : this.lastLoss.toFixed(4);
    const speed = Math.round(e.examplesPerSec);
    if (this.bar) {
      const done = e.step - this.firstStep + 1;
      const elapsed = (performance.now() - this.epochStart) / 1000;
      const tail = e.step >= e.stepsPerEpoch ? 'evaluating' : `ETA ${formatDuration(done > 0 ? ((e.stepsPerEpoch - e.step) * elapsed) / done : NaN)}`;
      this.bar.update(e.step, { loss, speed, tail });
      return;
    }
    if (e.step >= this.nextPlain || e.step === e.stepsPerEpoch) {
      const every = Math.max(1, Math.ceil(e.stepsPerEpoch / (this.o.linesPerEpoch ?? 10)));
      this.nextPlain = (Math.floor(e.step / every) + 1) * every;
      const done = e.step - this.firstStep + 1;
      const elapsed = (performance.now() - this.epochStart) / 1000;
      const eta = done > 0 ? ((e.stepsPerEpoch - e.step) * elapsed) / done : 0;
      this.stream.write(
        `epoch ${e.epoch}/${this.o.epochs} step ${e.step}/${e.stepsPerEpoch} loss ${loss} ${speed} img/s eta ${formatDuration(eta)}\n`,
      );
    }
  }

  /** Ends the bar (call before printing anything else). */
  stop(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
  }

  private begin(e: StepInfo): void {
    this.stop();
    this.epoch = e.epoch;
    this.epochStart = performance.now();
    this.firstStep = e.step;
    this.nextPlain = 0;
    this.lastLoss = undefined;
    if (!this.o.tty) return;
    const head = `epoch ${e.epoch}/${this.o.epochs} |`;
    const rest = '| {value}/{total} | loss {loss} | {speed} img/s | {tail}';
    this.bar = new cliProgress.SingleBar(
      {
        stream: this.stream,
        format: `${head}{bar}${rest}`,
        barsize: barSize(head, e.stepsPerEpoch, terminalWidth(this.stream)),
        hideCursor: true,
        clearOnComplete: true,
        fps: 8,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(e.stepsPerEpoch, Math.max(0, e.step - 1), { loss: '-', speed: 0, tail: 'ETA -' });
  }
}

/** The bar's width that keeps the whole line within the terminal (24 at most, 8 at least). */
export function barSize(head: string, stepsPerEpoch: number, width: number | undefined): number {
  const total = String(stepsPerEpoch);
  // The widest the rest of the line gets: step counts, a loss, five-digit img/s, 'evaluating' or 'ETA 59m59s'.
  const rest = `| ${total}/${total} | loss 0.0000 | 99999 img/s | evaluating`;
  const room = (width ?? 80) - 1 - head.length - rest.length;
  return Math.max(8, Math.min(24, room));
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  return h > 0 ? `${h}h${String(m % 60).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
