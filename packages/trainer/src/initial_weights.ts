import { applyInit, Rng, type Module } from '@convnets/core';
import type { TrainOptions } from './types.js';

/**
 * The weights a fresh `train()` run starts from, applied to a model built with `Rng(seed)`:
 * with init 'xavier', xavier_uniform_ on every Conv2d/Linear weight drawn from a new
 * `Rng(seed)`; otherwise the model's own (PyTorch default) init is kept. train() calls this,
 * so anything else that needs a run's starting point (an export to PyTorch) gets the same.
 */
export function applyTrainInit(model: Module, init: TrainOptions['init'], seed: number): void {
  if (init === 'xavier') applyInit(model, { kind: 'xavierUniform' }, new Rng(seed));
}
