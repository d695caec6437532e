/** A real (small) training run, then eval and predict on its weights, and mismatched weights. */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFashionMnist } from '@convnets/data/node';
import { DATA_DIR, errorLines, runCli, tempDir, type CliResult } from './helpers.js';

const EPOCH_LINE = /^epoch (\d+), loss \d+\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}, time \d+\.\d sec, \d+ examples\/sec$/;

describe('train, eval, predict', () => {
  const out = join(tempDir('train'), 'run');
  let trained: CliResult;

  beforeAll(async () => {
    trained = await runCli([
      'train', '--model', 'lenet', '--epochs', '2', '--limit-train', '2000', '--limit-test', '500',
      '--backend', 'wasm', '--threads', '2', '--data-dir', DATA_DIR, '--out', out,
    ]);
  }, 1_800_000); // a hang guard: seconds on a quiet machine, over 10 minutes at load average 45 on 2 cores

  it('prints backend, data source, summary and one seed-style line per epoch', () => {
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/^backend: wasm \(threads 2, simd (relaxed-simd|simd128)\)$/m);
    expect(trained.stdout).toMatch(/^data: --data-dir .* \(train 2000, test 500\)$/m);
    expect(trained.stdout).toMatch(/61,?706/);
    const epochs = trained.stdout.split('\n').filter((l) => l.startsWith('epoch '));
    expect(epochs).toHaveLength(2);
    for (const l of epochs) expect(l).toMatch(EPOCH_LINE);
    // Not a terminal: plain progress lines, no redrawn bar.
    expect(trained.stderr).toMatch(/^epoch 1\/2 step \d+\/16 loss /m);
    expect(trained.stderr.includes('\r') || trained.stderr.includes('\u001b[')).toBe(false);
  });

  it('trains with the default backend choice (auto) and exits 0', async () => {
    // auto probes tensorflow and webgpu before settling on wasm here; the probe must leave the
    // process able to run (and finish) the training that follows.
    const dir = join(tempDir('auto'), 'run');
    const r = await runCli(['train', '--epochs', '1', '--limit-train', '500', '--limit-test', '100', '--data-dir', DATA_DIR, '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^backend: /m);
    expect(r.stdout.split('\n').filter((l) => EPOCH_LINE.test(l))).toHaveLength(1);
  });

  it('writes metrics.jsonl, weights, config and SVG plots', () => {
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(lines.map((l) => l.epoch)).toEqual([1, 2]);
    for (const l of lines) {
      for (const k of ['loss', 'trainAcc', 'testAcc', 'seconds', 'examplesPerSec']) expect(typeof l[k]).toBe('number');
      expect(l.testAcc).toBeGreaterThan(0.3);
    }
    const weights = readFileSync(join(out, 'model.safetensors'));
    const headerLen = Number(weights.readBigUInt64LE(0));
    const header = JSON.parse(weights.subarray(8, 8 + headerLen).toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(header)).toContain('__metadata__');
    expect(Object.keys(header).filter((k) => k !== '__metadata__').length).toBe(10);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { model: string; inputSize: number; preset: string };
    expect(config).toMatchObject({ model: 'lenet', inputSize: 28, preset: 'quick' });
    for (const svg of ['curves.svg', 'confusion.svg']) {
      const text = readFileSync(join(out, svg), 'utf8');
      expect(text.startsWith('<svg')).toBe(true);
      expect(text.trim().endsWith('</svg>')).toBe(true);
    }
    expect(existsSync(join(out, 'checkpoint.safetensors')) || existsSync(join(out, 'checkpoint.json'))).toBe(true);
  });

  it('eval --json: accuracy, per-class accuracy and a confusion matrix', async () => {
    const r = await runCli(['eval', '--weights', join(out, 'model.safetensors'), '--limit-test', '500', '--backend', 'wasm', '--data-dir', DATA_DIR, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout) as { accuracy: number; total: number; confusion: number[][]; perClass: { accuracy: number }[] };
    expect(e.total).toBe(500);
    expect(e.confusion).toHaveLength(10);
    expect(e.confusion.flat().reduce((a, b) => a + b, 0)).toBe(500);
    expect(e.perClass).toHaveLength(10);
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n');
    const last = JSON.parse(metrics.at(-1)!) as { testAcc: number };
    expect(e.accuracy).toBeCloseTo(last.testAcc, 5);
  });

  it('eval prints tables', async () => {
    const r = await runCli(['eval', '--weights', join(out, 'model.safetensors'), '--limit-test', '200', '--backend', 'cpu', '--data-dir', DATA_DIR]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^test accuracy: 0\.\d{4} \(\d+\/200\)$/m);
    expect(r.stdout).toMatch(/^ {2} 9 Ankle boot/m);
    expect(r.stdout).toMatch(/confusion matrix/);
  });

  it('predict on PNGs (28x28 gray, and a larger RGB one): top-3 with probabilities', async () => {
    const test = await loadFashionMnist({ split: 'test', dataDir: DATA_DIR, limit: 10, verify: false });
    const dir = tempDir('predict');
    // A 28x28 grayscale PNG of a test image, and the same image 3x larger, in RGB, dark on light.
    const i = 0;
    const px = test.image(i);
    const small = new PNG({ width: 28, height: 28 });
    const big = new PNG({ width: 84, height: 84 });
    for (let k = 0; k < 28 * 28; k++) small.data.set([px[k], px[k], px[k], 255], 4 * k);
    for (let y = 0; y < 84; y++) {
      for (let x = 0; x < 84; x++) {
        const v = 255 - px[Math.floor(y / 3) * 28 + Math.floor(x / 3)];
        big.data.set([v, v, v, 255], 4 * (y * 84 + x));
      }
    }
    writeFileSync(join(dir, 'item.png'), PNG.sync.write(small));
    writeFileSync(join(dir, 'photo.png'), PNG.sync.write(big));
    const weights = join(out, 'model.safetensors');
    const r = await runCli(['predict', '--weights', weights, '--backend', 'cpu', '--json', join(dir, 'item.png')]);
    expect(r.code, r.stderr).toBe(0);
    const [p] = JSON.parse(r.stdout) as { file: string; top: { label: number; class: string; probability: number }[] }[];
    expect(p.top).toHaveLength(3);
    expect(p.top[0].probability).toBeGreaterThanOrEqual(p.top[1].probability);
    expect(p.top[1].probability).toBeGreaterThanOrEqual(p.top[2].probability);
    expect(p.top.reduce((a, t) => a + t.probability, 0)).toBeLessThanOrEqual(1.0001);

    const inverted = await runCli(['predict', '--weights', weights, '--backend', 'cpu', '--json', '--invert', join(dir, 'photo.png')]);
    expect(inverted.code, inverted.stderr).toBe(0);
    const [q] = JSON.parse(inverted.stdout) as typeof p[];
    // Area-averaging the 3x upscaled, inverted image gives back the original: same answer.
    expect(q.top.map((t) => t.label)).toEqual(p.top.map((t) => t.label));
    expect(q.top[0].probability).toBeCloseTo(p.top[0].probability, 3);

    const text = await runCli(['predict', '--weights', weights, '--backend', 'cpu', join(dir, 'item.png')]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/item\.png\n {2}1\. .+ +\d+\.\d%\n {2}2\. /);
  });

  it('mismatched or unreadable weights exit 1 with one line', async () => {
    const dir = tempDir('mismatch');
    mkdirSync(join(dir, 'other'));
    const copy = join(dir, 'other', 'lenet.safetensors');
    copyFileSync(join(out, 'model.safetensors'), copy);
    const r = await runCli(['eval', '--model', 'vgg11', '--width-ratio', '8', '--input-size', '32', '--weights', copy, '--backend', 'cpu', '--limit-test', '100', '--data-dir', DATA_DIR]);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/does not fit vgg11/);

    const junk = join(dir, 'junk.safetensors');
    writeFileSync(junk, 'not a safetensors file at all');
    const image = join(dir, 'blank.png');
    writeFileSync(image, PNG.sync.write(new PNG({ width: 28, height: 28 })));
    const j = await runCli(['predict', '--model', 'lenet', '--weights', junk, '--backend', 'cpu', image]);
    expect(j.code).toBe(1);
    expect(errorLines(j.stderr)).toHaveLength(1);
    expect(j.stderr).toMatch(`convnets predict: error: ${junk}: header length`);

    const missing = await runCli(['eval', '--model', 'lenet', '--weights', join(dir, 'none.safetensors'), '--backend', 'cpu', '--data-dir', DATA_DIR]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such weights file/);
  });
});
