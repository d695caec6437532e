import { Rng, type Module } from '@convnets/core';
import { createModel, type ModelName } from '@convnets/models';
import type { TrainConfig } from './presets.js';
import type { TrainOptions } from './types.js';

/**
 * The model a config describes: createModel(name, {...modelOptions, inputSize}) with weights
 * drawn from Rng(seed). (Xavier init, when the config asks for it, is applied by train() on a
 * fresh start, so a resumed run keeps its weights.)
 */
export function buildPresetModel(name: ModelName, config: TrainConfig, seed = 0): Module {
  return createModel(name, { ...config.modelOptions, inputSize: config.inputSize, rng: new Rng(seed) });
}

/** The TrainOptions a config gives (add signal, checkpoints, callbacks as needed). */
export function trainOptionsFromConfig(config: TrainConfig, extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    epochs: config.epochs,
    batchSize: config.batchSize,
    lr: config.lr,
    optimizer: config.optimizer,
    momentum: config.momentum,
    weightDecay: config.weightDecay,
    schedule: config.schedule,
    inputSize: config.inputSize,
    augment: config.augment,
    init: config.init,
    ...extra,
  };
}
