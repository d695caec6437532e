/**
 * The CLI on WebGPU, spawned for real (Dawn on Mesa llvmpipe here: .ci/run installs it): train
 * for 2 epochs, Ctrl-C in epoch 2, --resume to the end, then eval and predict on the weights it
 * wrote. Each writes what a wasm run writes, reads no tensor synchronously from the GPU (tfjs
 * warns on stderr the first time one is, and Node has no OffscreenCanvas for it) and lets no
 * Dawn notice through. llvmpipe takes seconds a step: tiny subsets, generous timeouts.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { loadFashionMnist } from '@convnets/data/node';
import { DATA_DIR, runCli, startCli, tempDir, waitForStderr, type CliResult } from './helpers.js';
import { requireSystem } from '@convnets/vitest-config/system';

// Records a skip line for the run's summary (or fails under CI) when Mesa's EGL/GL ES is missing.
await requireSystem('mesa', import.meta.url);

const SYNC_READ_WARNING = /synchronously reading data from GPU/;
const DAWN_NOTICE = /artificially reduced/;
const TRAIN = ['train', '--model', 'lenet', '--epochs', '2', '--limit-train', '256', '--limit-test', '256', '--batch-size', '64', '--data-dir', DATA_DIR];
const STEP_MS = 300_000;
const LOSE_GPU = fileURLToPath(new URL('./lose_gpu_fixture.ts', import.meta.url));
const GPU_ERROR = fileURLToPath(new URL('./gpu_error_fixture.ts', import.meta.url));

interface Metrics {
  epoch: number;
  loss: number;
  trainAcc: number;
  testAcc: number;
}
interface Prediction {
  file: string;
  top: { label: number; probability: number }[];
}

const readMetrics = (run: string) => readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Metrics);

/** Tensor names, dtypes and shapes of a .safetensors file. */
function header(file: string): Record<string, { dtype: string; shape: number[] }> {
  const bytes = readFileSync(file);
  const json = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8')) as Record<string, { dtype: string; shape: number[] }>;
  delete json.__metadata__;
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, { dtype: v.dtype, shape: v.shape }]));
}

describe('the CLI on webgpu (Dawn)', () => {
  const dir = tempDir('webgpu');
  const gpuRun = join(dir, 'webgpu-run');
  const wasmRun = join(dir, 'wasm-run');
  const stderrLog = (name: string) => join(dir, `${name}.stderr.log`);
  const image = join(dir, 'item.png');
  let noWebgpu: string | undefined;

  /** Skips (outside CI) when this machine has no WebGPU adapter; in CI that is a failure. */
  const needWebgpu = (ctx: TestContext) => {
    if (noWebgpu) ctx.skip(`no WebGPU here: ${noWebgpu}`);
  };
  const quiet = (r: CliResult) => {
    expect(r.stderr).not.toMatch(SYNC_READ_WARNING);
    expect(r.stderr).not.toMatch(DAWN_NOTICE);
  };

  beforeAll(async () => {
    const wasm = await runCli([...TRAIN, '--backend', 'wasm', '--out', wasmRun]);
    expect(wasm.code, wasm.stderr).toBe(0);
    const test = await loadFashionMnist({ split: 'test', dataDir: DATA_DIR, limit: 10, verify: false });
    const png = new PNG({ width: 28, height: 28 });
    const px = test.image(0);
    for (let k = 0; k < 28 * 28; k++) png.data.set([px[k], px[k], px[k], 255], 4 * k);
    writeFileSync(image, PNG.sync.write(png));
  }, STEP_MS);

  it('train: Ctrl-C in epoch 2 exits 130 with a checkpoint', async (ctx) => {
    const running = startCli([...TRAIN, '--backend', 'webgpu', '--out', gpuRun], {}, { stderrFile: stderrLog('train') });
    try {
      await waitForStderr(running, /^epoch 2\/2 step 1\/4 /m, STEP_MS);
    } catch (e) {
      const r = await running.done;
      const unavailable = /error: webgpu is not available|Dawn found no adapter/.exec(r.stderr);
      if (r.code === 1 && unavailable && !process.env.CI) {
        noWebgpu = r.stderr.trim();
        return ctx.skip(`no WebGPU here: ${noWebgpu}`);
      }
      throw e;
    }
    running.child.kill('SIGINT');
    const stopped = await running.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stdout).toMatch(/^backend: webgpu$/m);
    // Stopped in epoch 2, numbered from 1 as the progress bar numbers it.
    expect(stopped.stderr).toMatch(/^interrupted at epoch 2, step [1-3]; checkpoint saved in /m);
    quiet(stopped);
    expect(readMetrics(gpuRun).map((m) => m.epoch)).toEqual([1]);
    expect(readdirSync(gpuRun)).toContain('checkpoint.safetensors');
  }, STEP_MS);

  it('train --resume finishes epoch 2 and writes what a wasm run writes', async (ctx) => {
    needWebgpu(ctx);
    const r = await runCli([...TRAIN, '--backend', 'webgpu', '--out', gpuRun, '--resume'], {}, { stderrFile: stderrLog('resume') });
    expect(r.code, r.stderr).toBe(0);
    quiet(r);
    expect(r.stdout.split('\n').filter((l) => /^epoch \d+, /.test(l)).map((l) => l.split(',')[0])).toEqual(['epoch 2']);
    expect(readdirSync(gpuRun).sort()).toEqual(readdirSync(wasmRun).sort());
    // Same seed, data and order: the metrics agree with wasm's but for float rounding.
    const [gpu, wasm] = [readMetrics(gpuRun), readMetrics(wasmRun)];
    expect(gpu.map((m) => m.epoch)).toEqual([1, 2]);
    gpu.forEach((m, i) => {
      expect(m.loss).toBeCloseTo(wasm[i].loss, 2);
      expect(Math.abs(m.trainAcc - wasm[i].trainAcc)).toBeLessThanOrEqual(2 / 256);
      expect(Math.abs(m.testAcc - wasm[i].testAcc)).toBeLessThanOrEqual(2 / 256);
    });
    expect(header(join(gpuRun, 'model.safetensors'))).toEqual(header(join(wasmRun, 'model.safetensors')));
    expect(header(join(gpuRun, 'checkpoint.safetensors'))).toEqual(header(join(wasmRun, 'checkpoint.safetensors')));
    for (const svg of ['curves.svg', 'confusion.svg']) expect(readFileSync(join(gpuRun, svg), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  }, STEP_MS);

  it('train: a GPU lost in epoch 2 exits 1, names the loss and the checkpoint, and --resume goes on without the GPU', async (ctx) => {
    needWebgpu(ctx);
    const lostRun = join(dir, 'lost-run');
    const args = [...TRAIN, '--backend', 'webgpu', '--out', lostRun];
    const running = startCli(args, {}, { stderrFile: stderrLog('lost'), preload: [LOSE_GPU] });
    await waitForStderr(running, /^epoch 2\/2 step 1\/4 /m, STEP_MS);
    running.child.kill('SIGUSR2');
    const r = await running.done;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^convnets train: error: the GPU device was lost \(destroyed[^)]*\) in epoch 2, after step [1-3]; the checkpoint saved after epoch 1 in \S+ is intact$/m);
    const [again, onWasm] = r.stderr.split('\n').filter((l) => l.startsWith('  convnets train '));
    expect(again).toMatch(/--backend webgpu .*--resume$/);
    expect(onWasm).toMatch(/--resume --backend wasm$/);
    expect(onWasm).not.toMatch(/--backend webgpu/);
    expect(readMetrics(lostRun).map((m) => m.epoch)).toEqual([1]);
    const resumed = await runCli(onWasm.trim().split(' ').slice(1));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^backend: wasm\b/m);
    expect(readMetrics(lostRun).map((m) => m.epoch)).toEqual([1, 2]);
    // Epoch 1 trained on the GPU, epoch 2 on wasm: the same numbers as the run that never left wasm, but for rounding.
    readMetrics(lostRun).forEach((m, i) => expect(m.loss).toBeCloseTo(readMetrics(wasmRun)[i].loss, 2));
  }, STEP_MS);

  it('an error the GPU reports mid-run stops it with exit 1: the error, the checkpoint from before it, the commands that go on', async (ctx) => {
    needWebgpu(ctx);
    const errorRun = join(dir, 'gpu-error-run');
    const running = startCli([...TRAIN, '--backend', 'webgpu', '--out', errorRun], {}, { stderrFile: stderrLog('gpu-error'), preload: [GPU_ERROR] });
    await waitForStderr(running, /^epoch 2\/2 step 1\/4 /m, STEP_MS);
    running.child.kill('SIGUSR2');
    const r = await running.done;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^convnets train: error: the webgpu device reported an error while computing, so its results are wrong \(first: Buffer usages must not be 0\.\) in epoch 2, after step [1-4]; the checkpoint saved after epoch 1 in \S+ is intact$/m);
    const [again, onWasm] = r.stderr.split('\n').filter((l) => l.startsWith('  convnets train '));
    expect(again).toMatch(/--backend webgpu .*--resume$/);
    expect(onWasm).toMatch(/--resume --backend wasm$/);
    expect(readMetrics(errorRun).map((m) => m.epoch)).toEqual([1]);
  }, STEP_MS);

  it('eval on its weights: the accuracy the run reported, as wasm computes it', async (ctx) => {
    needWebgpu(ctx);
    const args = ['eval', '--weights', join(gpuRun, 'model.safetensors'), '--limit-test', '256', '--data-dir', DATA_DIR, '--json'];
    const r = await runCli([...args, '--backend', 'webgpu'], {}, { stderrFile: stderrLog('eval') });
    expect(r.code, r.stderr).toBe(0);
    quiet(r);
    const gpu = JSON.parse(r.stdout) as { backend: string; accuracy: number; total: number; confusion: number[][] };
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.total).toBe(256);
    expect(gpu.accuracy).toBeCloseTo(readMetrics(gpuRun).at(-1)!.testAcc, 5);
    const wasm = await runCli([...args, '--backend', 'wasm']);
    expect(wasm.code, wasm.stderr).toBe(0);
    const w = JSON.parse(wasm.stdout) as typeof gpu;
    expect(Math.abs(gpu.accuracy - w.accuracy)).toBeLessThanOrEqual(2 / 256);
    expect(gpu.confusion.flat().reduce((a, b) => a + b, 0)).toBe(256);
  }, STEP_MS);

  it('predict on its weights: the classes and probabilities wasm gives', async (ctx) => {
    needWebgpu(ctx);
    const args = ['predict', '--weights', join(gpuRun, 'model.safetensors'), '--json', image];
    const r = await runCli([...args, '--backend', 'webgpu'], {}, { stderrFile: stderrLog('predict') });
    expect(r.code, r.stderr).toBe(0);
    quiet(r);
    const wasm = await runCli([...args, '--backend', 'wasm']);
    expect(wasm.code, wasm.stderr).toBe(0);
    const [[gpu], [w]] = [JSON.parse(r.stdout) as Prediction[], JSON.parse(wasm.stdout) as Prediction[]];
    expect(gpu.top.map((t) => t.label)).toEqual(w.top.map((t) => t.label));
    gpu.top.forEach((t, k) => expect(t.probability).toBeCloseTo(w.top[k].probability, 3));
  }, STEP_MS);
});
