import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';
import { beforeAll, expect, it } from 'vitest';
import { smallSplits } from '../test/fixtures.js';
import { TinyNet } from '../test/tiny_net.js';
import { train } from './train_ch5.js';
import type { LossEvent } from './types.js';

beforeAll(async () => {
  await useBackend('wasm');
});

it('onLoss gets the running loss every lossEvery steps, within its epoch, with no tensor left behind', async () => {
  const data = await smallSplits();
  const net = new TinyNet({ seed: 3 });
  const before = tf.memory().numTensors;
  const events: (LossEvent | { epochEnd: number; loss: number })[] = [];
  await train(net, data, {
    epochs: 2, batchSize: 64, lr: 0.01, optimizer: 'adam', syncEvery: 50, lossEvery: 2,
    onLoss: (e) => events.push(e),
    onEpoch: (m) => events.push({ epochEnd: m.epoch, loss: m.loss }),
  });
  expect(tf.memory().numTensors).toBe(before);
  // 8 steps an epoch: reads after steps 2, 4 and 6 (step 8 is the epoch end's own read), each before its epoch's end.
  const order = events.map((e) => ('epochEnd' in e ? `end ${e.epochEnd}` : `${e.epoch}.${e.step}`));
  expect(order).toEqual(['1.2', '1.4', '1.6', 'end 1', '2.2', '2.4', '2.6', 'end 2']);
  for (const e of events) {
    if ('epochEnd' in e) continue;
    expect(e.loss).toBeGreaterThan(0);
    expect(e.loss).toBeLessThan(5);
    expect(e.trainAcc).toBeGreaterThanOrEqual(0);
    expect(e.trainAcc).toBeLessThanOrEqual(1);
  }
  net.dispose();
});
