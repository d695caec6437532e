/**
 * The run directory is never lost or mixed: a second run is refused (or waits for --resume /
 * --overwrite), a live run's lock names its owner, SIGTERM checkpoints like Ctrl-C, --resume
 * says what it resumes, keeps the run's settings and rebuilds metrics.jsonl from the checkpoint.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR, errorLines, runCli, startCli, tempDir, waitForStdout, type CliResult } from './helpers.js';

const SMALL = ['--limit-train', '256', '--limit-test', '100', '--batch-size', '64', '--backend', 'cpu', '--data-dir', DATA_DIR];
const RUN_FILES = ['checkpoint.json', 'checkpoint.safetensors', 'config.json', 'confusion.svg', 'curves.svg', 'metrics.jsonl', 'model.safetensors'];

/** Every file of a run directory and its bytes, to show that a refused command changed nothing. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));
}

function epochsIn(dir: string): number[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { epoch: number }).epoch);
}

function expectOneError(r: CliResult, code: number, message: string | RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = errorLines(r.stderr);
  expect(lines, r.stderr).toHaveLength(1);
  if (typeof message === 'string') expect(lines[0]).toBe(message);
  else expect(lines[0]).toMatch(message);
}

describe('run directories', () => {
  const out = join(tempDir('rundir'), 'run');
  const train = (...args: string[]) => runCli(['train', ...SMALL, '--out', out, ...args]);

  beforeAll(async () => {
    const r = await train('--epochs', '1');
    expect(r.code, r.stderr).toBe(0);
  }, 180_000);

  it('a second run into a directory that holds one is refused, and nothing on disk changes', async () => {
    expect(readdirSync(out).sort()).toEqual(RUN_FILES);
    const before = snapshot(out);
    const r = await train('--epochs', '1');
    expectOneError(
      r,
      1,
      `convnets train: error: ${out} already holds a run (checkpoint after 1 epoch; ${['config.json', 'checkpoint.safetensors', 'checkpoint.json', 'metrics.jsonl', 'model.safetensors', 'curves.svg', 'confusion.svg'].join(', ')}); ` +
        'continue it with --resume, replace it with --overwrite, or pick another --out',
    );
    expect(r.stdout).toBe('');
    expect(snapshot(out)).toEqual(before);
  });

  it('--resume with a changed batch size, seed or preset is refused; nothing changes', async () => {
    const before = snapshot(out);
    const r = await train('--resume', '--batch-size', '32', '--seed', '3');
    expectOneError(
      r,
      1,
      `convnets train: error: cannot resume ${out} with --batch-size 32 (the run has 64), --seed 3 (the run has 0): ` +
        `a resumed run keeps the settings in ${join(out, 'config.json')}; leave the flag out, or start a new run (--overwrite or another --out)`,
    );
    const p = await train('--resume', '--preset', 'book');
    expectOneError(p, 1, /cannot resume .* with --preset book \(the run has quick\)/);
    expect(snapshot(out)).toEqual(before);
  });

  it('--resume of a finished run rebuilds a lost metrics.jsonl from the checkpoint and cleans stale temp files', async () => {
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8');
    rmSync(join(out, 'metrics.jsonl'));
    const stale = '.checkpoint.safetensors.99999.0badf00d.tmp';
    writeFileSync(join(out, stale), 'half a checkpoint');
    const r = await train('--resume');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^the run in ${out} has finished its 1 epoch; nothing left to train \\(raise --epochs to train more\\)$`, 'm'));
    expect(r.stderr).toMatch(`note: removed 1 stale temp file left by an interrupted write (${stale})`);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8')).toBe(metrics);
    expect(existsSync(join(out, stale))).toBe(false);
  });

  it('--resume --epochs 2 --lr: lists the overrides, says where it resumes, keeps --limit-train', async () => {
    const r = await runCli(['train', '--backend', 'cpu', '--data-dir', DATA_DIR, '--out', out, '--resume', '--epochs', '2', '--lr', '0.002']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^resume overrides: --epochs 2 \(was 1\), --lr 0\.002 \(was 0\.003\)$/m);
    expect(r.stdout).toMatch(new RegExp(`^resuming epoch 2, step 0 of 4 from ${out}/checkpoint\\.safetensors$`, 'm'));
    expect(r.stdout).toMatch(/\(train 256, test 100\)/);
    expect(epochsIn(out)).toEqual([1, 2]);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { data: { limitTrain: number }; train: { lr: number; epochs: number } };
    expect(config.data.limitTrain).toBe(256);
    expect(config.train).toMatchObject({ lr: 0.002, epochs: 2 });
  }, 180_000);

  it('NaN in an Adam slot of the checkpoint: --resume refuses naming the tensor; the checkpoint is kept', async () => {
    const dir = join(tempDir('nanslot'), 'run');
    mkdirSync(dir);
    for (const f of readdirSync(out)) writeFileSync(join(dir, f), readFileSync(join(out, f)));
    const file = join(dir, 'checkpoint.safetensors');
    const { tensors, metadata } = decodeSafetensors(readFileSync(file));
    const slot = 'optimizer/7.weight.exp_avg';
    expect(tensors[slot]).toBeDefined();
    (tensors[slot].data as Float32Array)[5] = NaN;
    writeFileSync(file, encodeSafetensors(tensors, metadata));
    const before = snapshot(dir);
    const r = await runCli(['train', '--backend', 'cpu', '--data-dir', DATA_DIR, '--out', dir, '--resume', '--epochs', '3']);
    expectOneError(
      r,
      1,
      `convnets train: error: ${file} (optimizer state): tensor 7.weight.exp_avg holds NaN or infinite values; it was saved from a diverged run or is damaged: start afresh`,
    );
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);

  it('--overwrite replaces the run, with a note', async () => {
    const dir = join(tempDir('overwrite'), 'run');
    mkdirSync(dir);
    for (const f of readdirSync(out)) writeFileSync(join(dir, f), readFileSync(join(out, f)));
    expect(epochsIn(dir)).toEqual([1, 2]);
    const r = await runCli(['train', ...SMALL, '--out', dir, '--epochs', '1', '--overwrite']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(`note: --overwrite: removed the earlier run in ${dir} (`);
    expect(epochsIn(dir)).toEqual([1]);
  }, 120_000);

  it('--resume with nothing to resume is refused, saying what is there', async () => {
    const empty = tempDir('empty');
    const r = await runCli(['train', ...SMALL, '--out', empty, '--resume']);
    expectOneError(r, 1, `convnets train: error: nothing to resume in ${empty}: no checkpoint.safetensors there; start a new run without --resume`);
    writeFileSync(join(empty, 'config.json'), readFileSync(join(out, 'config.json')));
    const c = await runCli(['train', ...SMALL, '--out', empty, '--resume']);
    expectOneError(
      c,
      1,
      `convnets train: error: nothing to resume in ${empty}: it holds config.json but no checkpoint.safetensors; start a new run with --overwrite instead of --resume, or pick another --out`,
    );
    expect(readdirSync(empty)).toEqual(['config.json']);
    // A FIFO in the checkpoint's place would hang a plain read.
    const fifo = join(empty, 'checkpoint.safetensors');
    execFileSync('mkfifo', [fifo]);
    const f = await runCli(['train', ...SMALL, '--out', empty, '--resume']);
    expectOneError(f, 1, `convnets train: error: ${fifo}: not a regular file (a device, FIFO or socket); give the path of a checkpoint on disk`);
    expect(readdirSync(empty).sort()).toEqual(['checkpoint.safetensors', 'config.json']);
  }, 120_000);

  it('a stale lock (its process is gone) is taken over with a notice; the lock is released at the end', async () => {
    const dir = tempDir('stale');
    const deadPid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
    writeFileSync(join(dir, '.lock'), JSON.stringify({ pid: deadPid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'convnets train' }));
    const r = await runCli(['train', ...SMALL, '--out', dir, '--epochs', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(`note: took over the lock of ${dir} from pid ${deadPid} (started 2026-01-01T00:00:00.000Z), which is no longer running`);
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  }, 120_000);
});

it('a second training into a locked run directory names the holder; SIGTERM checkpoints and exits 143; --resume finishes', async () => {
  const out = join(tempDir('lock'), 'run');
  const args = ['train', '--epochs', '3', '--limit-train', '3000', '--limit-test', '200', '--batch-size', '64', '--backend', 'cpu', '--data-dir', DATA_DIR, '--out', out];
  const first = startCli(args);
  await waitForStdout(first, /^epoch 1, /m, 180_000);
  const lock = JSON.parse(readFileSync(join(out, '.lock'), 'utf8')) as { pid: number; startedAt: string };
  expect(lock.pid).toBe(first.child.pid);

  const second = await runCli(args);
  expectOneError(
    second,
    1,
    `convnets train: error: ${out} is in use by convnets train (pid ${first.child.pid} on ${hostname()}, started ${lock.startedAt}); wait for it to finish or pick another --out`,
  );
  const resumeNow = await runCli([...args, '--resume']);
  expectOneError(resumeNow, 1, /is in use by convnets train \(pid \d+/);

  first.child.kill('SIGTERM');
  const stopped = await first.done;
  expect(stopped.code, stopped.stderr).toBe(143);
  expect(stopped.stderr).toMatch(/^SIGTERM: stopping after the current step and saving a checkpoint/m);
  expect(stopped.stderr).toMatch(new RegExp(`^interrupted \\(SIGTERM\\) at epoch \\d+, step \\d+; checkpoint saved in ${out}$`, 'm'));
  expect(existsSync(join(out, 'checkpoint.safetensors'))).toBe(true);
  expect(existsSync(join(out, '.lock'))).toBe(false);

  const resumed = await runCli([...args, '--resume']);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stdout).toMatch(new RegExp(`^resuming epoch [1-3], step \\d+ of 47 from ${out}/checkpoint\\.safetensors$`, 'm'));
  expect(epochsIn(out)).toEqual([1, 2, 3]);
}, 420_000);
