import { useBackend } from '@convnets/backends';
import { loadFashionMnistSplits } from '@convnets/data/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPresetModel, trainOptionsFromConfig } from './preset_model.js';
import { getPreset } from './presets.js';
import { formatEpochLine } from './format_epoch_line.js';
import { train } from './train_ch5.js';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('LeNet quick preset on real Fashion-MNIST', () => {
  it('reaches test accuracy >= 0.85 within 3 epochs on the full training set (wasm)', async () => {
    const data = await loadFashionMnistSplits();
    expect(data.train.length).toBe(60000);
    const config = getPreset('lenet', 'quick');
    const model = buildPresetModel('lenet', config, 0);
    const r = await train(model, data, trainOptionsFromConfig(config, { evalBatchSize: 1000, onEpoch: (m) => console.log(formatEpochLine(m)) }));
    const best = Math.max(...r.history.map((m) => m.testAcc));
    expect(r.history).toHaveLength(3);
    expect(best).toBeGreaterThanOrEqual(0.85);
    model.dispose();
  }, 1_800_000); // a hang guard: seconds on a quiet machine, over 10 minutes at load average 30 on 2 cores
});
