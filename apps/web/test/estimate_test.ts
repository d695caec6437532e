import { describe, expect, it } from 'vitest';
import { estimateText, formatDuration, formatRate, rememberRate, roughDuration } from '../src/estimate.js';

describe('the time estimate and the rate shown while training', () => {
  it('formats rates with sensible precision and durations as clocks', () => {
    expect(formatRate(0)).toBe('…');
    expect(formatRate(0.4321)).toBe('0.4');
    expect(formatRate(12.4)).toBe('12');
    expect(formatRate(2143)).toBe('2,140');
    expect(formatDuration(42)).toBe('0:42');
    expect(formatDuration(725)).toBe('12:05');
    expect(formatDuration(3729)).toBe('1:02:09');
    expect(roughDuration(12)).toBe('~10 s');
    expect(roughDuration(125)).toBe('~2 min');
    expect(roughDuration(2 * 3600)).toBe('~2.0 h');
  });

  it("says how long LeNet quick takes on wasm, prefers this tab's rate, and admits when it has none", () => {
    const run = { backend: 'wasm', model: 'lenet', inputSize: 28, batchSize: 128, trainImages: 60_000, epochs: 3 };
    expect(estimateText(run)).toMatch(/^~3 min on wasm at ~1,000 img\/s \(180,000 training images, as measured in headless Chromium/);
    expect(estimateText({ ...run, backend: 'webgpu' })).toMatch(/no time estimate for lenet at 28×28 on webgpu yet/);
    expect(estimateText({ ...run, batchSize: 64 })).toMatch(/no time estimate/);
    rememberRate(run, 3000);
    expect(estimateText(run)).toMatch(/^~60 s on wasm at ~3,000 img\/s .*as measured in this tab/);
  });
});
