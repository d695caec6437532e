import { createHash } from 'node:crypto';
import { useBackend } from '@convnets/backends';
import { Rng, stateDict } from '@convnets/core';
import { createModel } from '@convnets/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallSplits } from '../test/fixtures.js';
import { applyTrainInit } from './initial_weights.js';
import { train } from './train_ch5.js';

const lenet = () => createModel('lenet', { rng: new Rng(0) });
/** SHA-256 of each tensor's bytes: exact, and a failure prints 10 short lines, not 61,706 numbers. */
const weights = async (m: ReturnType<typeof lenet>) =>
  Object.fromEntries(Object.entries(await stateDict(m)).map(([k, v]) => [k, createHash('sha256').update(v.data as Float32Array).digest('hex')]));

describe('applyTrainInit', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it.each(['xavier', 'default', undefined] as const)('gives the weights train() starts from (init %s)', async (init) => {
    const trained = lenet();
    const before = await weights(trained);
    await train(trained, await smallSplits(16, 16), { epochs: 0, batchSize: 8, lr: 0.1, optimizer: 'sgd', init, seed: 3 });
    const applied = lenet();
    applyTrainInit(applied, init, 3);
    const after = await weights(applied);
    expect(after).toEqual(await weights(trained));
    // Xavier redraws every Conv2d/Linear weight; otherwise the model's own init stays.
    if (init === 'xavier') expect(after['0.weight']).not.toEqual(before['0.weight']);
    else expect(after).toEqual(before);
    trained.dispose();
    applied.dispose();
  });
});
