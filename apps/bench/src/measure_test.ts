import { describe, expect, it } from 'vitest';
import { measureRow } from './measure.js';
import { ROW_KEYS } from './row.js';

describe('measureRow', () => {
  it('returns a row of the --json schema for a 1-step LeNet on cpu', async () => {
    const { row } = await measureRow({ model: 'lenet', backend: 'cpu', impl: 'convnets', batchSize: 4, warmup: 0, steps: 1 });
    for (const k of ROW_KEYS) expect(row).toHaveProperty(k);
    expect(row).toMatchObject({ model: 'lenet', backend: 'cpu', impl: 'convnets', batchSize: 4, inputSize: 28 });
    expect(row.note).toBeUndefined();
    for (const k of ['trainImgPerSec', 'inferImgPerSec', 'gflops', 'peakBytes', 'tfPeakBytes'] as const) {
      expect(typeof row[k]).toBe('number');
      expect(row[k]).toBeGreaterThan(0);
    }
    // LeNet: 416,520 MACs an image forward; GFLOP/s = 6 x MACs x img/s.
    expect(row.gflops! / row.trainImgPerSec!).toBeCloseTo((6 * 416_520) / 1e9, 12);
    expect(JSON.parse(JSON.stringify(row))).toEqual(row);
  });
});
