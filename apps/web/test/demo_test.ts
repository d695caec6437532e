/**
 * End-to-end, as a new user meets the demo: the BUILT app in Chromium with WebGPU enabled, where
 * the only adapter and renderer are software (SwiftShader). One browser and one page for the
 * whole story: auto's choice, the activation view, a run on the defaults, a model switch, the
 * Weights section, then the same page at phone size.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { getPreset } from '@convnets/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSystem } from '@convnets/vitest-config';
import { launchChromium, type LaunchedBrowser } from './helpers/browser.js';
import { draw } from './helpers/draw.js';
import { startPreview, WEB_DIR, type Preview } from './helpers/preview.js';

const ARTIFACTS = join(WEB_DIR, 'test-artifacts');

interface Demo {
  backend?: { name: string; skipped: { name: string; reason: string }[] };
  losses: number[];
  stepLosses: number[];
  epochs: { epoch: number; loss: number; testAcc: number; seconds: number }[];
  trained: boolean;
  results?: { accuracy: number; total: number };
  prediction?: { top1: number; probs: number[]; id: number; trained: boolean };
  modelViews: number;
  activations?: { image: number; layers: string[]; filters: number; histograms: string[] };
  errors: string[];
}

const demo = (page: Page): Promise<Demo> => page.evaluate(() => (window as unknown as { __demo: Demo }).__demo);

const chromiumHere = await requireSystem('chromium', import.meta.url);

let preview: Preview;
let chromium: LaunchedBrowser;
let page: Page;
let dir: string;
let savedWeights: string;

beforeAll(async () => {
  if (!chromiumHere.ok) return;
  preview = await startPreview();
  chromium = await launchChromium({ webgpu: true });
  page = await chromium.browser.newPage({ viewport: { width: 1360, height: 1000 }, acceptDownloads: true });
  dir = mkdtempSync(join(tmpdir(), 'convnets-web-demo-'));
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await chromium?.close();
  await preview?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Waits until the worker has answered with a network (the Train button comes back). */
async function modelReady(p: Page, model: string): Promise<void> {
  await p.waitForFunction((m) => {
    const row = document.querySelector('[data-testid=summary] table tbody tr');
    const train = document.querySelector<HTMLButtonElement>('[data-testid=train-button]');
    return row !== null && (document.querySelector('[data-testid=model-select]') as HTMLSelectElement).value === m && train !== null && !train.disabled;
  }, model, { timeout: 120_000 });
}

describe.skipIf(!chromiumHere.ok)('the demo on a machine whose only GPU is software (SwiftShader)', () => {
  it('auto picks wasm over the software WebGPU adapter and WebGL renderer, and says why', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(preview.url);
    await modelReady(page, 'lenet');
    const d = await demo(page);
    expect(d.backend?.name).toBe('wasm');
    const skipped = Object.fromEntries((d.backend?.skipped ?? []).map((s) => [s.name, s.reason]));
    expect(skipped.webgpu).toMatch(/software adapter.*swiftshader/i);
    expect(skipped.webgl).toMatch(/software renderer.*swiftshader/i);
    const why = await page.textContent('[data-testid=backend-why]');
    expect(why).toMatch(/WebGPU: only a software adapter/);
    expect(why).toMatch(/WebGL: only a software renderer/);
    expect(why).toMatch(/auto: wasm/);
    expect(errors).toEqual([]);
  });

  it("shows LeNet's activation maps, first filters and weight histograms for a test image, and marks an untrained network's guess", async () => {
    await page.waitForFunction(() => (window as unknown as { __demo: Demo }).__demo.activations !== undefined, null, { timeout: 60_000 });
    const a = (await demo(page)).activations;
    // LeNet is one Sequential: every one of its 12 layers, and its six 5×5 filters.
    expect(a?.layers).toHaveLength(12);
    expect(a?.filters).toBe(6);
    // One histogram per weight tensor: two convolutions and three linear layers.
    expect(a?.histograms).toEqual(['0.weight', '3.weight', '7.weight', '9.weight', '11.weight']);
    expect(await page.locator('[data-testid=histograms] .histogram').count()).toBe(5);
    expect(await page.locator('[data-testid=activations] .act-layer canvas').count()).toBe(14); // input, filters, 12 layers
    // The first convolution's maps are drawn, and they are not blank.
    const spread = await page.$eval('[data-testid=activations] [data-layer="0"] canvas', (c) => {
      const cv = c as HTMLCanvasElement;
      const px = cv.getContext('2d')?.getImageData(0, 0, cv.width, cv.height).data ?? new Uint8ClampedArray();
      let lo = 255;
      let hi = 0;
      for (let i = 0; i < px.length; i += 4) {
        lo = Math.min(lo, px[i]);
        hi = Math.max(hi, px[i]);
      }
      return hi - lo;
    });
    expect(spread).toBeGreaterThan(100);
    // Another test image redraws the view.
    await page.fill('[data-testid=activation-image]', '3');
    await page.dispatchEvent('[data-testid=activation-image]', 'change');
    await page.waitForFunction(() => (window as unknown as { __demo: Demo }).__demo.activations?.image === 3, null, { timeout: 60_000 });

    await draw(page);
    await page.waitForSelector('[data-testid=prediction][data-top1]', { timeout: 60_000 });
    expect((await demo(page)).prediction?.trained).toBe(false);
    expect(await page.textContent('[data-testid=untrained]')).toMatch(/Untrained network/);
  });

  it("trains on the defaults (LeNet quick, the preset's full data) to the preset's stated accuracy, with an estimate, elapsed time and ETA", async () => {
    expect(await page.inputValue('[data-testid=subset-select]')).toBe('preset');
    expect(await page.inputValue('[data-testid=epochs-input]')).toBe('3');
    expect(await page.textContent('[data-testid=estimate]')).toMatch(/^~\d+ min on wasm at ~[\d,]+ img\/s \(180,000 training images/);
    expect(await page.textContent('.why')).toMatch(/3 epochs/);
    const started = Date.now();
    await page.click('[data-testid=train-button]');
    await page.waitForFunction(() => /^\d+:\d\d · ETA \d+:\d\d$/.test(document.querySelector('[data-testid=time]')?.textContent ?? ''), null, { timeout: 120_000 });
    await page.waitForFunction(() => {
      const d = (window as unknown as { __demo: Demo }).__demo;
      return (d.trained && d.results !== undefined) || d.errors.length > 0;
    }, null, { timeout: 1_500_000 });
    const seconds = (Date.now() - started) / 1000;
    const d = await demo(page);
    expect(d.errors).toEqual([]);
    // The preset's text: 0.85/0.87/0.88 after epochs 1-3 (PyTorch); a 3-epoch run lands in that band.
    expect(d.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(d.results?.total).toBe(10_000);
    expect(d.results?.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(d.results?.accuracy).toBeLessThan(0.95);
    // The chart's per-step loss: one per step, and not the running mean (it moves both ways).
    expect(d.stepLosses).toHaveLength(3 * Math.ceil(60_000 / 128));
    const ups = d.stepLosses.slice(1).filter((l, i) => l > d.stepLosses[i]).length;
    expect(ups).toBeGreaterThan(50);
    expect(await page.textContent('[data-testid=rate]')).toMatch(/^[\d,.]+ img\/s$/);
    expect(await page.textContent('[data-testid=status]')).toBe('Done: 3 epochs.');
    // The estimate now uses the rate this tab measured.
    expect(await page.textContent('[data-testid=estimate]')).toMatch(/as measured in this tab/);
    expect(await page.locator('[data-testid=per-class] li').count()).toBe(10);
    writeFileSync(join(ARTIFACTS, 'demo-defaults.json'), JSON.stringify({ seconds, accuracy: d.results?.accuracy, epochs: d.epochs }, null, 2));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-trained.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=save-button]')]);
    savedWeights = join(dir, 'lenet-quick.safetensors');
    await download.saveAs(savedWeights);
  }, 1_800_000);

  it("clears the old network's results on a model switch, and the architecture table walks every layer of AlexNet", async () => {
    await page.selectOption('[data-testid=model-select]', 'alexnet');
    await modelReady(page, 'alexnet');
    const d = await demo(page);
    expect(d.results).toBeUndefined();
    expect(d.epochs).toEqual([]);
    expect(await page.textContent('[data-testid=test-accuracy]')).toBe('—');
    expect(await page.locator('[data-testid=gallery] .tile').count()).toBe(0);
    expect(await page.locator('[data-testid=confusion] td').count()).toBe(0);
    expect(await page.locator('[data-testid=epoch-log] li').count()).toBe(0);
    expect(await page.textContent('[data-testid=epoch-metrics]')).toBe('—');
    // The drawing is predicted again, by the new (untrained) network.
    await page.waitForFunction(() => (window as unknown as { __demo: Demo }).__demo.prediction?.trained === false, null, { timeout: 60_000 });

    // quick AlexNet: conv (13 layers) and fc (one hidden layer: 4), each block before its layers.
    const rows = await page.$$eval('[data-testid=summary] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows.map((r) => r[0])).toEqual(['conv', ...Array.from({ length: 13 }, (_, i) => `conv.${i}`), 'fc', 'fc.0', 'fc.1', 'fc.2', 'fc.3']);
    expect(rows[1]).toEqual(['conv.0', 'Conv2d', '(1, 96, 15, 15)', '11,712']);
    expect(rows[13].slice(0, 3)).toEqual(['conv.12', 'MaxPool2d', '(1, 256, 1, 1)']);
    expect(rows[18].slice(0, 3)).toEqual(['fc.3', 'Linear', '(1, 10)']);
    expect(await page.locator('[data-testid=summary] tbody tr:visible').count()).toBe(19);
    // A block's row folds its layers, and unfolds them again.
    await page.click('[data-testid=summary] tr[data-name=conv]');
    expect(await page.locator('[data-testid=summary] tbody tr:visible').count()).toBe(6);
    await page.click('[data-testid=summary] tr[data-name=conv]');
    expect(await page.locator('[data-testid=summary] tbody tr:visible').count()).toBe(19);
    // The default data choice is the quick preset's own subset, and says so.
    const quick = getPreset('alexnet', 'quick');
    const subset = `${quick.limitTrain!.toLocaleString('en-US')} train · ${quick.limitTest!.toLocaleString('en-US')} test`;
    expect(await page.$eval('[data-testid=subset-select] option[value=preset]', (o) => o.textContent)).toContain(subset);
  });

  it('shows a bad weights file in Weights, then loads good weights: the error goes, and Results fill from the test set', async () => {
    const bad = join(dir, 'broken.safetensors');
    writeFileSync(bad, 'not a safetensors file');
    await page.setInputFiles('[data-testid=weights-input]', bad);
    await page.waitForSelector('[data-testid=weights-error]:not([hidden])', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=weights-error]')).toMatch(/broken\.safetensors/);
    expect(await page.isHidden('[data-testid=setup-error]')).toBe(true);

    await page.setInputFiles('[data-testid=weights-input]', savedWeights);
    await page.waitForFunction(() => (window as unknown as { __demo: Demo }).__demo.results !== undefined, null, { timeout: 300_000 });
    const d = await demo(page);
    expect(await page.isHidden('[data-testid=weights-error]')).toBe(true);
    expect(await page.inputValue('[data-testid=model-select]')).toBe('lenet');
    expect(d.results?.total).toBe(10_000);
    expect(d.results?.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(await page.locator('[data-testid=gallery] .tile').count()).toBe(24);
    expect(await page.locator('[data-testid=confusion] td').count()).toBe(100);
    await page.waitForFunction(() => (window as unknown as { __demo: Demo }).__demo.prediction?.trained === true, null, { timeout: 60_000 });
    expect(await page.locator('[data-testid=untrained]').count()).toBe(0);
  }, 600_000);

  it('fits a 390×844 phone: no sideways scroll, whole metric tiles, the Params column in view', async () => {
    const phone = await chromium.browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      await phone.goto(preview.url);
      await modelReady(phone, 'lenet');
      const check = async () => {
        expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        const cut = await phone.$$eval('.metric-value, .metric-label', (els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
        expect(cut).toEqual([]);
        const params = await phone.locator('[data-testid=summary] th.num').boundingBox();
        expect((params?.x ?? Infinity) + (params?.width ?? 0)).toBeLessThanOrEqual(390);
      };
      await check();
      await phone.screenshot({ path: join(ARTIFACTS, 'phone-top.png') });
      await phone.selectOption('[data-testid=model-select]', 'googlenet');
      await modelReady(phone, 'googlenet');
      await check();
      await phone.locator('[data-testid=summary]').scrollIntoViewIfNeeded();
      await phone.screenshot({ path: join(ARTIFACTS, 'phone-architecture.png') });
    } finally {
      await phone.close();
    }
  }, 300_000);
});
