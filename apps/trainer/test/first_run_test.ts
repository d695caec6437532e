/**
 * What a new user sees on a first run, at an 80-column terminal from a checkout (`pnpm convnets`):
 * one short preset line, no backend noise on a machine without a GPU, the network that train
 * trains in summary, a loss that moves every few steps, and test images to predict on.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR, overlong, PNPM_SCRIPT_ENV, runCli, tempDir, type CliResult } from './helpers.js';

const TERMINAL = { ...PNPM_SCRIPT_ENV, COLUMNS: '80' };

/** The summary table in a command's stdout: from the `lenet: input` line to `total params`. */
function table(stdout: string): string {
  return /^lenet: input [^\n]*\n[\s\S]*?\ntotal params: [\d,]+$/m.exec(stdout)?.[0] ?? '';
}

describe('a first training run', () => {
  const out = join(tempDir('first'), 'run');
  let trained: CliResult;

  beforeAll(async () => {
    // 20 steps an epoch, so the plain progress prints every 2nd step.
    trained = await runCli(
      ['train', '--epochs', '2', '--limit-train', '640', '--batch-size', '32', '--limit-test', '200', '--data-dir', DATA_DIR, '--out', out],
      TERMINAL,
    );
  }, 240_000);

  it('opens with one short line about the preset, and auto says nothing about the GPU this machine lacks', () => {
    expect(trained.code, trained.stderr).toBe(0);
    const lines = trained.stdout.split('\n');
    expect(lines[0]).toBe('convnets train: lenet, preset quick');
    expect(lines[1]).toMatch(/^backend: (wasm|cpu)/);
    expect(trained.stdout).not.toMatch(/auto skipped/);
    expect(overlong(trained.stdout)).toEqual([]);
    expect(overlong(trained.stderr)).toEqual([]);
  });

  it('wraps the long lines at spaces for an 80-column terminal, keeping every word whole', () => {
    // The book's epoch line is 85 characters: it continues on an indented line.
    const epoch = /^epoch 1, loss [\s\S]*?examples\/sec$/m.exec(trained.stdout)?.[0] ?? '';
    expect(epoch.split('\n')).toHaveLength(2);
    expect(epoch.replace(/\n {4}/, ' ')).toMatch(/^epoch 1, loss \d\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}, time \d+\.\d sec, \d+ examples\/sec$/);
    const done = /^done in [\s\S]*$/m.exec(trained.stdout)?.[0] ?? '';
    const flat = done.replace(/\n +/g, ' ');
    expect(flat).toMatch(/^done in \S+: test acc 0\.\d{3}; wrote model\.safetensors, metrics\.jsonl, config\.json, curves\.svg and confusion\.svg in \S+\n$/);
    expect(flat.trim().endsWith(` in ${out}`)).toBe(true);
  });

  it('shows the loss of the current epoch every few steps, and none left over from the last epoch', () => {
    const progress = trained.stderr.split('\n').filter((l) => /^epoch \d\/2 step /.test(l));
    const loss = (l: string) => / loss (\S+) /.exec(l)![1];
    for (const epoch of [1, 2]) {
      const lines = progress.filter((l) => l.startsWith(`epoch ${epoch}/2 `));
      expect(lines.length).toBeGreaterThanOrEqual(10);
      // The first line of an epoch has no loss of its own yet.
      expect(loss(lines[0])).toBe('-');
      // Read every 5 steps: from step 10 on a loss is shown (a read in flight may lag one line).
      const late = lines.filter((l) => Number(/ step (\d+)\//.exec(l)![1]) >= 10);
      expect(late.length).toBeGreaterThan(0);
      for (const l of late) expect(loss(l)).toMatch(/^\d\.\d{4}$/);
      // ...and it changes within the epoch, long before the trainer's own read every 50 steps.
      expect(new Set(late.map(loss)).size).toBeGreaterThan(1);
    }
  });

  it('summary shows the same network, layer for layer, that train trained', async () => {
    const r = await runCli(['summary', '--model', 'lenet'], TERMINAL);
    expect(r.code, r.stderr).toBe(0);
    expect(table(r.stdout)).not.toBe('');
    expect(table(r.stdout)).toBe(table(trained.stdout));
    expect(r.stdout).toMatch(/^1 +ReLU +\[1, 6, 28, 28\] +0$/m);
    expect(r.stdout).toMatch(/^2 +MaxPool2d +\[1, 6, 14, 14\] +0$/m);
    expect(overlong(r.stdout)).toEqual([]);
  });

  it('predict --test-index classifies test-set images and prints their true class', async () => {
    const r = await runCli(['predict', '--weights', join(out, 'model.safetensors'), '--test-index', '0,1', '--test-index', '2', '--data-dir', DATA_DIR, '--backend', 'cpu'], TERMINAL);
    expect(r.code, r.stderr).toBe(0);
    // The first three test images are an ankle boot, a pullover and a trouser.
    expect(r.stdout).toMatch(/^test\[0\] \(true class: Ankle boot, predicted (right|wrong)\)\n {2}1\. \S.* +\d+\.\d%$/m);
    expect(r.stdout).toMatch(/^test\[1\] \(true class: Pullover, /m);
    expect(r.stdout).toMatch(/^test\[2\] \(true class: Trouser, /m);
    expect(overlong(r.stdout)).toEqual([]);

    const json = await runCli(['predict', '--weights', join(out, 'model.safetensors'), '--test-index', '0', '--data-dir', DATA_DIR, '--backend', 'cpu', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const [p] = JSON.parse(json.stdout) as { file: string; label: number; class: string; top: { label: number }[] }[];
    expect(p).toMatchObject({ file: 'test[0]', label: 9, class: 'Ankle boot' });
    expect(p.top).toHaveLength(3);
  });

  it('predict --test-index out of range is a usage error naming the range', async () => {
    const r = await runCli(['predict', '--weights', join(out, 'model.safetensors'), '--test-index', '10000', '--data-dir', DATA_DIR, '--backend', 'cpu'], TERMINAL);
    expect(r.code).toBe(2);
    expect(r.stderr.replace(/\n +/g, ' ')).toBe('convnets predict: --test-index 10000 is out of range: the test set has 10000 images (0 to 9999)\n');
    expect(overlong(r.stderr)).toEqual([]);
  });
});
