/**
 * --resume keeps the run's own settings. A flag that would change what the checkpoint means
 * (model, preset, shape, batch size, optimizer, seed, training subset) is refused; --epochs,
 * --lr and --limit-test may change, and are listed as deliberate overrides.
 */
import { join } from 'node:path';
import { CliError } from './errors.js';
import { CONFIG_FILE, type RunConfig } from './run_config.js';

export interface ResumeFlags {
  model?: string;
  preset?: string;
  inputSize?: number;
  widthRatio?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  optimizer?: string;
  limitTrain?: number;
  limitTest?: number;
  seed?: number;
}

/** Checks the flags given with --resume against the run's config; returns the overrides as "--lr 0.01 (was 0.001)". */
export function checkResumeFlags(prev: RunConfig, out: string, f: ResumeFlags): string[] {
  const t = prev.train as { epochs?: number; batchSize?: number; lr?: number; optimizer?: string };
  const fixed: [string, unknown, unknown][] = [
    ['--model', f.model, prev.model],
    ['--preset', f.preset, prev.preset],
    ['--input-size', f.inputSize, prev.inputSize],
    ['--width-ratio', f.widthRatio, prev.widthRatio],
    ['--batch-size', f.batchSize, t.batchSize],
    ['--optimizer', f.optimizer, t.optimizer],
    ['--seed', f.seed, prev.seed],
    ['--limit-train', f.limitTrain, prev.data?.limitTrain],
  ];
  const changed = fixed.filter(([, now, was]) => now !== undefined && now !== was);
  if (changed.length) {
    const list = changed.map(([flag, now, was]) => `${flag} ${String(now)} (the run has ${was === undefined ? 'none' : String(was)})`).join(', ');
    throw new CliError(
      `cannot resume ${out} with ${list}: a resumed run keeps the settings in ${join(out, CONFIG_FILE)}; ` +
        'leave the flag out, or start a new run (--overwrite or another --out)',
    );
  }
  const mutable: [string, number | undefined, unknown][] = [
    ['--epochs', f.epochs, t.epochs],
    ['--lr', f.lr, t.lr],
    ['--limit-test', f.limitTest, prev.data?.limitTest],
  ];
  return mutable.filter(([, now, was]) => now !== undefined && now !== was).map(([flag, now, was]) => `${flag} ${now} (was ${was === undefined ? 'unset' : String(was)})`);
}
