import { useBackend } from '@convnets/core';
import { loadFashionMnist } from '@convnets/data/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatEpochLine } from './format_epoch_line.js';
import { buildPresetModel, trainOptionsFromConfig } from './preset_model.js';
import { getPreset } from './presets.js';
import { train } from './train_ch5.js';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('VGG-11 quick preset on real Fashion-MNIST', () => {
  it('trains well above chance (wasm)', async () => {
    const config = getPreset('vgg11', 'quick');
    const data = {
      train: await loadFashionMnist({ split: 'train', limit: config.limitTrain }),
      test: await loadFashionMnist({ split: 'test', limit: config.limitTest }),
    };
    const model = buildPresetModel('vgg11', config, 0);
    const r = await train(model, data, trainOptionsFromConfig(config, { onEpoch: (m) => console.log(formatEpochLine(m)) }));
    expect(r.history).toHaveLength(config.epochs);
    // Chance is 0.1; measured about 0.6 after the first epoch.
    expect(r.history[r.history.length - 1].testAcc).toBeGreaterThan(0.45);
    model.dispose();
  }, 1_800_000); // a hang guard: seconds on a quiet machine, over 10 minutes at load average 30 on 2 cores
});
