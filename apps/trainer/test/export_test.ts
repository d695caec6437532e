/**
 * The round trip convnets → torchrun (2 processes, gloo) → convnets, on a small real subset:
 * export a trained LeNet, train it one epoch under DDP, load the result back; and the refusals.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireSystem } from '@convnets/vitest-config/system';
import { decodeSafetensors } from '@convnets/core';
import { DATA_DIR, errorLines, outputOf, runCli, tempDir, type CliResult } from './helpers.js';

const PYTHON = '/usr/bin/python3';
// Skipped with a line in the run's summary (a failure under CI) when python3-torch is missing.
const TORCH = (await requireSystem('torch', import.meta.url)).ok;

/** `python3 -m torch.distributed.run` is torchrun; --redirects/--tee sidestep torch 1.13's launcher bug under Python 3.11 (see the export's README). */
function torchrun(nproc: number, args: string[]): Promise<CliResult> {
  const child = spawn(PYTHON, ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', String(nproc), '--redirects', '9:1', '--tee', '9:1', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000, // SIGTERM to torchrun, which stops its workers: a hang fails the test, leaves no processes
  });
  return outputOf(child);
}

function tensors(path: string): Record<string, number[]> {
  const { tensors: t } = decodeSafetensors(readFileSync(path), path);
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Array.from(v.data as Float32Array)]));
}

function jsonl(path: string): Record<string, number>[] {
  return readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
}

const SUBSET = ['--epochs', '1', '--limit-train', '600', '--limit-test', '300', '--data-dir', DATA_DIR, '--threads', '1', '--log-steps'];

describe.skipIf(!TORCH)('export --torch: convnets → torchrun → convnets', () => {
  const root = tempDir('export');
  const run = join(root, 'run');
  const project = join(root, 'lenet-torch');
  let exported: CliResult;

  beforeAll(async () => {
    const trained = await runCli([
      'train', '--model', 'lenet', '--epochs', '1', '--limit-train', '1000', '--limit-test', '200',
      '--backend', 'wasm', '--threads', '1', '--data-dir', DATA_DIR, '--out', run,
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    exported = await runCli(['export', '--weights', join(run, 'model.safetensors'), '--torch', project, '--python', PYTHON]);
  }, 300_000);

  it('writes a self-contained project that starts from the given weights', () => {
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/the seed's module has the same 10 tensors/);
    expect(readdirSync(project).sort()).toEqual(
      ['README.md', 'config.json', 'convnets_data.py', 'convnets_model.py', 'fashion_mnist.py', 'init.safetensors', 'safetensors_np.py', 'seed_nets.py', 'train.py'],
    );
    const config = JSON.parse(readFileSync(join(project, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ model: 'lenet', preset: 'quick', inputSize: 28, modelOptions: { activation: 'relu', pool: 'max' }, train: { optimizer: 'adam', lr: 0.003, batchSize: 128 } });
    expect(tensors(join(project, 'init.safetensors'))).toEqual(tensors(join(run, 'model.safetensors')));
    expect(readFileSync(join(project, 'README.md'), 'utf8')).toMatch(/torchrun --nnodes 2 .*--rdzv_endpoint/s);
  });

  describe('torchrun', () => {
    const out2 = join(root, 'ddp2');
    const out1 = join(root, 'ddp1');
    let two: CliResult;

    beforeAll(async () => {
      two = await torchrun(2, [join(project, 'train.py'), ...SUBSET, '--out', out2]);
    }, 300_000);

    it('runs both ranks on their shards and writes convnets run files from rank 0', () => {
      expect(two.code, two.stderr).toBe(0);
      // 600 stratified examples over 2 processes, global batch 128 = 64 a process: 300 each, 5 steps.
      expect(two.stdout).toMatch(/^(\[\w+\]:)?rank 0\/2: epoch 1, 5 steps, 300 examples$/m);
      expect(two.stdout).toMatch(/^(\[\w+\]:)?rank 1\/2: epoch 1, 5 steps, 300 examples$/m);
      expect(two.stdout).toMatch(/^epoch 1, loss \d+\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}, time \d+\.\d sec, \d+ examples\/sec$/m);
      const [m] = jsonl(join(out2, 'metrics.jsonl'));
      expect(Object.keys(m).sort()).toEqual(['epoch', 'examplesPerSec', 'loss', 'lr', 'seconds', 'testAcc', 'trainAcc']);
      expect(m.epoch).toBe(1);
      const config = JSON.parse(readFileSync(join(out2, 'config.json'), 'utf8')) as { model: string; torch: { worldSize: number; backend: string }; data: unknown };
      expect(config).toMatchObject({ model: 'lenet', torch: { worldSize: 2, backend: 'gloo' }, data: { limitTrain: 600, limitTest: 300 } });
      expect(readdirSync(out2).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it("loads back into convnets eval strictly, with PyTorch's test accuracy", async () => {
      const [m] = jsonl(join(out2, 'metrics.jsonl'));
      const r = await runCli(['eval', '--weights', join(out2, 'model.safetensors'), '--limit-test', '300', '--backend', 'cpu', '--data-dir', DATA_DIR, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const ev = JSON.parse(r.stdout) as { accuracy: number; total: number; model: string };
      expect(ev).toMatchObject({ model: 'lenet', total: 300 });
      expect(Math.abs(ev.accuracy - m.testAcc)).toBeLessThanOrEqual(1e-6);
      // It trained: one epoch from the 1-epoch run's weights beats chance by far.
      expect(m.testAcc).toBeGreaterThan(0.3);
    }, 300_000);

    it('gives the same first-step loss on 1 process as on 2 with the same global batch', async () => {
      const one = await torchrun(1, [join(project, 'train.py'), ...SUBSET, '--out', out1]);
      expect(one.code, one.stderr).toBe(0);
      expect(one.stdout).toMatch(/^(\[\w+\]:)?rank 0\/1: epoch 1, 5 steps, 600 examples$/m);
      const [a] = jsonl(join(out1, 'steps.jsonl'));
      const [b] = jsonl(join(out2, 'steps.jsonl'));
      expect(a).toMatchObject({ step: 1, examples: 128 });
      expect(b).toMatchObject({ step: 1, examples: 128 });
      expect(Math.abs(a.loss - b.loss)).toBeLessThanOrEqual(1e-5);
    }, 300_000);

    it('refuses an --out that already holds a run, leaving it as it was', async () => {
      const before = readFileSync(join(out2, 'model.safetensors'));
      const r = await outputOf(spawn(PYTHON, [join(project, 'train.py'), '--out', out2], { stdio: ['ignore', 'pipe', 'pipe'] }));
      expect(r.code).toBe(1);
      expect(errorLines(r.stderr)).toEqual([expect.stringMatching(/already holds a run .*pass a new --out/)]);
      expect(readFileSync(join(out2, 'model.safetensors')).equals(before)).toBe(true);
    });
  });

  describe('refusals: one line, non-zero exit, nothing written', () => {
    const fresh = () => join(tempDir('export-bad'), 'project');

    it('a --torch directory that exists', async () => {
      const before = statSync(join(project, 'init.safetensors')).mtimeMs;
      const r = await runCli(['export', '--model', 'lenet', '--torch', project, '--python', PYTHON]);
      expect(r.code).toBe(1);
      expect(errorLines(r.stderr)).toEqual([expect.stringMatching(/already exists.*never overwrites/)]);
      expect(statSync(join(project, 'init.safetensors')).mtimeMs).toBe(before);
    });

    it('a model we do not have, and one with no seed module', async () => {
      const dir = fresh();
      const unknown = await runCli(['export', '--model', 'lenet5', '--torch', dir]);
      expect(unknown.code).toBe(2);
      expect(errorLines(unknown.stderr)).toEqual([expect.stringMatching(/unknown model 'lenet5'/)]);
      const resnet = await runCli(['export', '--model', 'resnet18', '--torch', dir, '--python', PYTHON]);
      expect(resnet.code).toBe(1);
      expect(errorLines(resnet.stderr)).toEqual([expect.stringMatching(/resnet18 has no PyTorch module/)]);
      expect(existsSync(dir)).toBe(false);
    }, 120_000);

    it('weights that do not match the model', async () => {
      const dir = fresh();
      const r = await runCli(['export', '--model', 'nin', '--weights', join(run, 'model.safetensors'), '--torch', dir, '--python', PYTHON]);
      expect(r.code).toBe(1);
      expect(errorLines(r.stderr)).toEqual([expect.stringMatching(/model\.safetensors does not fit nin/)]);
      expect(existsSync(dir)).toBe(false);
      expect(readdirSync(join(dir, '..'))).toEqual([]);
    }, 120_000);

    it('a Python without torch', async () => {
      const dir = fresh();
      const noTorch = join(root, 'python-without-torch');
      writeFileSync(noTorch, `#!/bin/sh\nexec ${PYTHON} -S "$@"\n`); // -S: no site-packages, so no torch
      chmodSync(noTorch, 0o755);
      const r = await runCli(['export', '--model', 'lenet', '--torch', dir, '--python', noTorch]);
      expect(r.code).toBe(1);
      expect(errorLines(r.stderr)).toEqual([expect.stringMatching(/PyTorch is not importable .*No module named 'torch'.*--python/)]);
      expect(existsSync(dir)).toBe(false);
    }, 120_000);
  });
});
