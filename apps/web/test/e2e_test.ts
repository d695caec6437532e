/**
 * End-to-end: the BUILT app (vite build, then vite preview, which also serves Fashion-MNIST)
 * in Debian's Chromium, once with WebGPU (SwiftShader) and once without (the page falls back).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { ModelName } from '@convnets/models';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSystem } from '@convnets/vitest-config';
import { launchChromium, type LaunchedBrowser } from './helpers/browser.js';
import { draw } from './helpers/draw.js';
import { encodeGrayPng } from './helpers/png.js';
import { startPreview, WEB_DIR, type Preview } from './helpers/preview.js';

const REPO = resolve(WEB_DIR, '..', '..');
const ARTIFACTS = join(WEB_DIR, 'test-artifacts');

interface Demo {
  backend?: { name: string; skipped: { name: string; reason: string }[]; details?: Record<string, string | number | boolean> };
  losses: number[];
  epochs: { epoch: number; loss: number; testAcc: number }[];
  trained: boolean;
  results?: { accuracy: number; total: number };
  prediction?: { top1: number; probs: number[]; id: number };
  predictionRequested: number;
  /** Model views shown (the worker's answers to 'select' and 'load'). */
  modelViews: number;
  errors: string[];
  gpuLost?: string;
}

const chromiumHere = await requireSystem('chromium', import.meta.url);

let preview: Preview;

beforeAll(async () => {
  if (chromiumHere.ok) preview = await startPreview();
});

afterAll(async () => {
  await preview?.close();
});

function demo(page: Page): Promise<Demo> {
  return page.evaluate(() => (window as unknown as { __demo: Demo }).__demo);
}

async function openPage(page: Page, query = ''): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${preview.url}${query}`);
  await page.waitForFunction(() => {
    const b = document.querySelector('[data-testid=backend]');
    return b && b.textContent !== 'starting…';
  }, null, { timeout: 90_000 });
  // The model summary arrives once the worker has built the network.
  await page.waitForSelector('[data-testid=summary] table', { timeout: 60_000 });
  expect(errors).toEqual([]);
}

/**
 * WebGPU here is SwiftShader, a CPU emulation: ~4 s per LeNet step on a quiet machine, and
 * three times that when CI runs the other packages' tests beside it. Its waits are longer.
 */
const WEBGPU_TEST_MS = 480_000;
const waitFor = (ms: number, slow: boolean) => ({ timeout: slow ? ms * 2.5 : ms });

/**
 * LeNet (quick preset) in batches of 64. With `resume`: 2 epochs on 5000 images (79 steps an
 * epoch, so that wasm, the fallback auto picks, is still training when Stop arrives), stopped at
 * step 3 and resumed (the trainer's checkpoints); without: 1 epoch on 500 straight through.
 */
async function trainLenet(page: Page, { resume, slow }: { resume: boolean; slow: boolean }): Promise<Demo> {
  const epochs = resume ? 2 : 1;
  await page.selectOption('[data-testid=model-select]', 'lenet');
  await page.selectOption('[data-testid=preset-select]', 'quick');
  await page.waitForSelector('[data-testid=summary] table');
  await page.selectOption('[data-testid=subset-select]', resume ? '5000' : '500');
  await page.fill('[data-testid=epochs-input]', String(epochs));
  await page.fill('[data-testid=batch-input]', '64');
  await page.click('[data-testid=train-button]');
  // Ends early on an error (a lost GPU device, a failed step), so that the failure names it.
  await page.waitForFunction(
    () => /step ([3-9]|\d\d+) · loss \d+\.\d+/.test(document.querySelector('[data-testid=step-metrics]')?.textContent ?? '') || (window as unknown as { __demo: Demo }).__demo.errors.length > 0,
    null,
    waitFor(120_000, slow),
  );
  expect((await demo(page)).errors).toEqual([]);
  if (resume) {
    await page.click('[data-testid=stop-button]');
    await page.waitForSelector('[data-testid=resume-button]:not([disabled])', { timeout: 90_000 });
    const stopped = await demo(page);
    expect(stopped.errors).toEqual([]);
    expect(stopped.epochs.length).toBeLessThan(2);
    await page.click('[data-testid=resume-button]');
  }
  // Waits for the end of the run, whatever it did, so that a wrong run fails on what went wrong.
  await page.waitForFunction(() => {
    const d = (window as unknown as { __demo: Demo }).__demo;
    return (d.trained && d.results !== undefined) || d.errors.length > 0;
  }, null, waitFor(170_000, slow));
  const d = await demo(page);
  expect(d.errors).toEqual([]);
  expect(d.epochs).toHaveLength(epochs);
  // The gallery comes with the final evaluation.
  await page.waitForSelector('[data-testid=gallery] .tile', waitFor(60_000, slow));
  return d;
}

/** The same LeNet run (1 epoch on 500 images, batch 64, seed 0) on WebGPU, then on wasm (?backend=wasm). */
const lenetRuns: { webgpu?: Demo; wasm?: Demo } = {};

/** A run's reported losses (every few steps, and the epoch's) against the wasm run's, within 1e-4 relative. */
function expectSameRun(run: Demo, backend: string, wasm: Demo | undefined): void {
  expect(wasm, 'the wasm LeNet run above did not finish').toBeDefined();
  expect(run.losses).toHaveLength(wasm!.losses.length);
  run.losses.forEach((l, i) => expect(Math.abs(l - wasm!.losses[i]!) / wasm!.losses[i]!, `loss ${i}: ${backend} ${l}, wasm ${wasm!.losses[i]}`).toBeLessThan(1e-4));
  expect(Math.abs(run.epochs[0]!.loss - wasm!.epochs[0]!.loss) / wasm!.epochs[0]!.loss).toBeLessThan(1e-4);
}

for (const webgpu of [true, false]) {
  describe.skipIf(!chromiumHere.ok)(webgpu ? 'with WebGPU (--enable-unsafe-webgpu)' : 'without WebGPU (fallback)', () => {
    let chromium: LaunchedBrowser;
    let page: Page;

    beforeAll(async () => {
      chromium = await launchChromium({ webgpu });
      page = await chromium.browser.newPage({ viewport: { width: 1360, height: 1000 }, acceptDownloads: true });
    });

    afterAll(async () => {
      await chromium?.close();
    });

    it('loads and picks a backend, saying why faster ones were skipped', async () => {
      // auto skips the software WebGPU adapter here (demo_test.ts checks that): WebGPU by name.
      await openPage(page, webgpu ? '?backend=webgpu' : '');
      const name = (await page.textContent('[data-testid=backend]'))?.trim();
      const d = await demo(page);
      if (webgpu) {
        expect(name).toBe('webgpu');
      } else {
        expect(['webgl', 'wasm', 'cpu']).toContain(name);
        expect(d.backend?.skipped.map((s) => s.name)).toContain('webgpu');
        expect(await page.textContent('[data-testid=backend-why]')).toMatch(/WebGPU: \S/);
      }
      const models = await page.$$eval('[data-testid=model-select] option', (os) => os.map((o) => (o as HTMLOptionElement).value));
      expect(models).toContain('lenet');
      expect(await page.textContent('[data-testid=summary]')).toMatch(/\(1, 10\)/);
    });

    it(`trains LeNet on a small subset${webgpu ? '' : ' (stopped and resumed)'}: finite loss that goes down, then predictions`, async () => {
      // SwiftShader WebGPU takes seconds a step, so stop/resume is checked in the (wasm) fallback run.
      const d = await trainLenet(page, { resume: !webgpu, slow: webgpu });
      if (webgpu) lenetRuns.webgpu = d;
      expect(d.losses.length).toBeGreaterThanOrEqual(webgpu ? 7 : 15);
      for (const l of d.losses) expect(Number.isFinite(l)).toBe(true);
      const head = d.losses.slice(0, 3).reduce((a, b) => a + b, 0) / 3;
      const tail = d.losses.slice(-3).reduce((a, b) => a + b, 0) / 3;
      expect(tail).toBeLessThan(head);
      expect(d.epochs.map((e) => e.epoch)).toEqual(webgpu ? [1] : [1, 2]);
      if (!webgpu) expect(d.epochs[1].loss).toBeLessThan(d.epochs[0].loss);
      expect(await page.textContent('[data-testid=epoch-metrics]')).toMatch(/epoch \d · loss \d\.\d{3}/);
      expect(d.results?.total).toBe(webgpu ? 200 : 1000);
      expect(d.results?.accuracy).toBeGreaterThan(0.2);
      expect(await page.locator('[data-testid=gallery] .tile').count()).toBe(24);
      expect(await page.locator('[data-testid=confusion] td').count()).toBe(100);

      await draw(page);
      await page.waitForSelector('[data-testid=prediction][data-top1]', waitFor(30_000, webgpu));
      const probs = (await demo(page)).prediction?.probs ?? [];
      expect(probs).toHaveLength(10);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
      expect(await page.textContent('[data-testid=prediction]')).toMatch(/%/);

      if (webgpu) {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: join(ARTIFACTS, 'trained-page.png'), fullPage: true });
      }
    }, webgpu ? WEBGPU_TEST_MS : undefined);

    if (webgpu) {
      it('moves to wasm when the GPU device is lost, and Resume finishes the run there from its checkpoint', async () => {
        // 500 images in batches of 256: 2 steps an epoch, so that SwiftShader reaches epoch 2 soon.
        await page.selectOption('[data-testid=subset-select]', '500');
        await page.fill('[data-testid=epochs-input]', '3');
        await page.fill('[data-testid=batch-input]', '256');
        await page.click('[data-testid=train-button]');
        await page.waitForFunction(
          () => /^Epoch [23]\/3/.test(document.querySelector('[data-testid=status]')?.textContent ?? '') || (window as unknown as { __demo: Demo }).__demo.errors.length > 0,
          null,
          waitFor(120_000, true),
        );
        expect((await demo(page)).errors).toEqual([]);
        // As a driver reset or a crashed GPU process would: the worker's device goes away mid-run.
        const [worker] = page.workers();
        await worker.evaluate(() => (globalThis as unknown as { _tfengine: { registry: { webgpu: { device: GPUDevice } } } })._tfengine.registry.webgpu.device.destroy());
        await page.waitForFunction(() => {
          const d = (window as unknown as { __demo: Demo }).__demo;
          return d.gpuLost !== undefined || d.errors.length > 0;
        }, null, waitFor(60_000, true));
        const lost = await demo(page);
        expect(lost.errors).toEqual([]);
        expect(lost.gpuLost).toMatch(/^the GPU device was lost \(destroyed/);
        expect((await page.textContent('[data-testid=backend]'))?.trim()).toBe('wasm');
        expect(await page.textContent('[data-testid=backend-why]')).toMatch(/WebGPU: the GPU device was lost .*; moved to wasm\./);
        const status = (await page.textContent('[data-testid=status]')) ?? '';
        expect(status).toMatch(/^The GPU device was lost \(destroyed.*\): now on wasm\. Resume goes on from the checkpoint after epoch [12]\.$/);
        const saved = Number(/after epoch (\d)/.exec(status)?.[1]);
        expect(lost.epochs.map((e) => e.epoch)).toEqual(saved === 1 ? [1] : [1, 2]);

        await page.waitForSelector('[data-testid=resume-button]:not([disabled])', { timeout: 30_000 });
        await page.click('[data-testid=resume-button]');
        await page.waitForFunction(() => {
          const d = (window as unknown as { __demo: Demo }).__demo;
          return (d.epochs.length === 3 && d.results !== undefined) || d.errors.length > 0;
        }, null, { timeout: 120_000 });
        const d = await demo(page);
        expect(d.errors).toEqual([]);
        expect(d.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
        for (const e of d.epochs) expect(Number.isFinite(e.loss)).toBe(true);
        expect(d.epochs[2].loss).toBeLessThan(d.epochs[0].loss);
        expect(d.results?.total).toBe(200);
      }, WEBGPU_TEST_MS);
    }

    if (!webgpu) {
      it('saves weights as a .safetensors download', async () => {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=save-button]')]);
        expect(download.suggestedFilename()).toBe('lenet-quick.safetensors');
        const path = await download.path();
        expect(path && existsSync(path)).toBeTruthy();
      });

      it("keeps the epochs and batch size typed while the worker's answer to a preset choice is on its way", async () => {
        // Holds back the worker's model views after the first, as a slow machine does.
        const late = await chromium.browser.newPage();
        try {
          await late.addInitScript(() => {
            const Native = Worker;
            let views = 0;
            globalThis.Worker = class extends Native {
              override set onmessage(handler: ((e: MessageEvent) => void) | null) {
                super.onmessage = (e: MessageEvent<{ type?: string }>) => {
                  if (e.data?.type === 'model' && ++views > 1) setTimeout(() => handler?.(e), 300);
                  else handler?.(e);
                };
              }
            };
          });
          await openPage(late);
          const viewsBefore = await late.evaluate(() => (window as unknown as { __demo: Demo }).__demo.modelViews);
          await late.selectOption('[data-testid=preset-select]', 'seed');
          await late.fill('[data-testid=epochs-input]', '1');
          await late.fill('[data-testid=batch-input]', '64');
          await late.waitForFunction((n) => (window as unknown as { __demo: Demo }).__demo.modelViews > n, viewsBefore, { timeout: 30_000 });
          expect(await late.inputValue('[data-testid=epochs-input]')).toBe('1');
          expect(await late.inputValue('[data-testid=batch-input]')).toBe('64');
          // The field left alone takes the preset's value.
          const model = await late.inputValue('[data-testid=model-select]');
          const { getPreset } = await import('@convnets/trainer');
          expect(await late.inputValue('[data-testid=lr-input]')).toBe(String(getPreset(model as ModelName, 'seed').lr));
        } finally {
          await late.close();
        }
      });

      it("trains on wasm when asked (?backend=wasm), with convnets' relaxed-SIMD kernels in the page's tfjs-wasm memory", async () => {
        const warnings: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
        });
        await openPage(page, '?backend=wasm');
        expect((await page.textContent('[data-testid=backend]'))?.trim()).toBe('wasm');
        expect((await demo(page)).backend?.details?.simd).toBe('relaxed-simd'); // Chromium has relaxed SIMD: the fused kernels run
        const d = await trainLenet(page, { resume: false, slow: false });
        lenetRuns.wasm = d;
        for (const l of d.losses) expect(Number.isFinite(l)).toBe(true);
        expect(d.losses.slice(-3).reduce((a, b) => a + b, 0)).toBeLessThan(d.losses.slice(0, 3).reduce((a, b) => a + b, 0));
        expect(d.results?.accuracy).toBeGreaterThan(0.2);
        expect(warnings.filter((w) => /convnets/.test(w))).toEqual([]);
      });

      it("trains the same LeNet run on WebGL when asked (?backend=webgl): the wasm run's losses within 1e-4 relative", async () => {
        await openPage(page, '?backend=webgl');
        expect((await page.textContent('[data-testid=backend]'))?.trim()).toBe('webgl');
        expectSameRun(await trainLenet(page, { resume: false, slow: true }), 'webgl', lenetRuns.wasm);
      }, WEBGPU_TEST_MS);

      it("the WebGPU run's losses are the wasm run's within 1e-4 relative (convnets' WGSL kernels through Chromium's compiler)", () => {
        expect(lenetRuns.webgpu, 'the WebGPU LeNet run above did not finish').toBeDefined();
        expectSameRun(lenetRuns.webgpu!, 'webgpu', lenetRuns.wasm);
      });

      it('loads weights trained by the CLI and predicts the same top-1 as Node', async () => {
        const out = mkdtempSync(join(tmpdir(), 'convnets-web-cli-'));
        try {
          const weightsPath = await cliWeights(out);
          const { pickImage } = await import('./helpers/node_predict.js');
          const { pixels, top1, probs } = await pickImage(weightsPath);
          const png = join(out, 'test-image.png');
          writeFileSync(png, encodeGrayPng(pixels, 28, 28));

          await page.setInputFiles('[data-testid=weights-input]', weightsPath);
          await page.waitForFunction(() => /Loaded/.test(document.querySelector('[data-testid=weights-note]')?.textContent ?? ''), null, { timeout: 30_000 });
          // Loading re-predicts the earlier drawing; the answer to the upload is a later request.
          const before = await page.evaluate(() => (window as unknown as { __demo: Demo }).__demo.predictionRequested);
          await page.setInputFiles('[data-testid=image-input]', png);
          await page.waitForFunction((after) => {
            const d = (window as unknown as { __demo: Demo }).__demo;
            return d.prediction !== undefined && d.prediction.id > after && d.prediction.id === d.predictionRequested;
          }, before, { timeout: 30_000 });
          const got = (await demo(page)).prediction;
          expect(got?.top1).toBe(top1);
          for (let k = 0; k < 10; k++) expect(Math.abs((got?.probs[k] ?? NaN) - probs[k])).toBeLessThan(2e-3);
        } finally {
          rmSync(out, { recursive: true, force: true });
        }
      });
    }
  });
}

/** Trains LeNet for one epoch with the CLI; returns model.safetensors. */
async function cliWeights(out: string): Promise<string> {
  const cli = join(REPO, 'apps', 'trainer', 'src', 'cli.ts');
  const args = ['--conditions=@convnets/source', '--import', 'tsx', cli, 'train', '--model', 'lenet', '--epochs', '1', '--limit-train', '1000', '--limit-test', '200', '--backend', 'cpu', '--out', out];
  await promisify(execFile)(process.execPath, args, { cwd: REPO, timeout: 150_000, maxBuffer: 16 << 20 });
  const file = readdirSync(out).find((f) => f === 'model.safetensors');
  if (!file) throw new Error(`the CLI wrote no model.safetensors into ${out}: ${readdirSync(out).join(', ')}`);
  return join(out, file);
}
