import { MODEL_NAMES, createModel } from '@convnets/models';
import { useBackend } from '@convnets/backends';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPresetModel, trainOptionsFromConfig } from './preset_model.js';
import { getPreset, PRESET_NAMES } from './presets.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('presets', () => {
  it.each(PRESET_NAMES)('every model has a %s preset with a why', (preset) => {
    for (const name of MODEL_NAMES) {
      const c = getPreset(name, preset);
      expect(c.why.length).toBeGreaterThan(20);
      expect(c.epochs).toBeGreaterThan(0);
      expect(['adam', 'sgd']).toContain(c.optimizer);
    }
  });

  it("book presets are the book's SGD + Xavier recipes", () => {
    const table = Object.fromEntries(MODEL_NAMES.map((n) => [n, getPreset(n, 'book')]));
    expect(table.lenet).toMatchObject({ optimizer: 'sgd', init: 'xavier', lr: 0.9, batchSize: 256, inputSize: 28, epochs: 10 });
    expect(table.alexnet).toMatchObject({ lr: 0.01, batchSize: 128, inputSize: 224 });
    expect(table.vgg11).toMatchObject({ lr: 0.05, batchSize: 128, inputSize: 224, modelOptions: { widthRatio: 4 } });
    expect(table.nin).toMatchObject({ lr: 0.1, batchSize: 128, inputSize: 224 });
    expect(table.googlenet).toMatchObject({ lr: 0.1, batchSize: 128, inputSize: 96 });
    expect(table.resnet18).toMatchObject({ lr: 0.05, batchSize: 256, inputSize: 96 });
    expect(table.lenet.reference?.testAcc).toBe(0.779);
  });

  it("seed presets are the seed's Adam cells", () => {
    expect(getPreset('alexnet', 'seed')).toMatchObject({ optimizer: 'adam', lr: 0.001, batchSize: 16, epochs: 3, inputSize: 224 });
    expect(getPreset('vgg11', 'seed')).toMatchObject({ lr: 0.001, batchSize: 16, epochs: 5, modelOptions: { widthRatio: 8 } });
    expect(getPreset('nin', 'seed')).toMatchObject({ lr: 0.002, batchSize: 128, epochs: 5 });
    expect(getPreset('googlenet', 'seed')).toMatchObject({ lr: 0.001, batchSize: 16, epochs: 5, inputSize: 96 });
    expect(getPreset('lenet', 'seed')).toMatchObject({ optimizer: 'adam', lr: 0.001, batchSize: 256 });
  });

  it('the quick LeNet is the ReLU/max-pool one with Adam 0.003, batch 128, 3 epochs on the full set', () => {
    const c = getPreset('lenet', 'quick');
    expect(c).toMatchObject({ optimizer: 'adam', lr: 0.003, batchSize: 128, epochs: 3, inputSize: 28, modelOptions: { activation: 'relu', pool: 'max' } });
    expect(c.limitTrain).toBeUndefined();
  });

  it.each(MODEL_NAMES)('%s builds at its quick and book input sizes', (name) => {
    for (const preset of ['quick', 'book'] as const) {
      const c = getPreset(name, preset);
      if (preset === 'book' && name !== 'lenet') {
        // Building the 224-input nets is heavy; check only that createModel accepts the options.
        expect(() => createModel(name, { ...c.modelOptions, inputSize: c.inputSize }).dispose()).not.toThrow();
        continue;
      }
      const m = buildPresetModel(name, c);
      expect(m.numParams()).toBeGreaterThan(0);
      m.dispose();
    }
  });

  it('getPreset returns a copy and trainOptionsFromConfig maps the fields', () => {
    const a = getPreset('lenet', 'book');
    a.lr = 123;
    expect(getPreset('lenet', 'book').lr).toBe(0.9);
    expect(trainOptionsFromConfig(getPreset('lenet', 'book'), { seed: 3 })).toMatchObject({ epochs: 10, lr: 0.9, optimizer: 'sgd', init: 'xavier', inputSize: 28, seed: 3 });
    expect(() => getPreset('lenet', 'fast' as 'quick')).toThrow(/Unknown preset "fast"/);
  });
});
