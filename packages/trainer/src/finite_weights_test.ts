/** NaN weights stop training like a NaN loss, keep the last good checkpoint, and are refused on resume. */
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';
import { Module, NonFiniteWeightsError, nonFiniteEntries, Parameter } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallSplits } from '../test/fixtures.js';
import { TinyNet } from '../test/tiny_net.js';
import { decodeCheckpoint, encodeCheckpoint, MemoryCheckpointStore } from './checkpoint.js';
import { WeightsDivergedError } from './divergence_error.js';
import { train } from './train_ch5.js';
import type { ResumeInfo } from './types.js';

/** TinyNet plus a parameter the forward pass never uses: a NaN there leaves the loss finite. */
class WithSpare extends Module {
  readonly net = this.registerModule('net', new TinyNet({ seed: 3, dropout: 0 }));
  readonly spare = this.registerParameter('spare', new Parameter(tf.zeros([4])));
  forward(x: tf.Tensor): tf.Tensor {
    return this.net.forward(x);
  }
}

const opts = { epochs: 2, batchSize: 64, lr: 0.01, optimizer: 'adam' as const };

beforeAll(async () => {
  await useBackend('cpu');
});

describe('non-finite weights', () => {
  let goodCheckpoint: Uint8Array;

  it('a weight turned NaN stops training at the epoch end; the last good checkpoint stays', async () => {
    const data = await smallSplits(128, 64);
    const model = new WithSpare();
    const store = new MemoryCheckpointStore();
    const losses: number[] = [];
    const run = train(model, data, {
      ...opts,
      checkpoints: store,
      onEpoch: (m) => losses.push(m.loss),
      onStep: (e) => {
        if (e.epoch === 2 && e.step === 1) model.spare.assign(tf.fill([4], NaN));
      },
    });
    await expect(run).rejects.toBeInstanceOf(WeightsDivergedError);
    await expect(run).rejects.toThrow(/^Training diverged: spare became NaN or infinite in epoch 2 \(learning rate 0\.01\) although the loss stayed finite\. Lower the learning rate \(try 0\.001\)/);
    expect(losses).toHaveLength(1);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(store.saves).toBe(1);
    const saved = decodeCheckpoint(store.bytes!);
    expect(saved.state.epoch).toBe(1);
    expect(nonFiniteEntries(saved.weights)).toEqual([]);
    goodCheckpoint = store.bytes!;
    model.dispose();
  }, 120_000);

  it('resume reports where it continues; NaN in a weight or an Adam slot of the checkpoint is refused, naming it', async () => {
    const data = await smallSplits(128, 64);
    const good = decodeCheckpoint(goodCheckpoint);
    const resumed: ResumeInfo[] = [];
    const ok = new WithSpare();
    const r = await train(ok, data, { ...opts, checkpoints: Object.assign(new MemoryCheckpointStore(), { bytes: goodCheckpoint }), resume: true, onResume: (i) => resumed.push(i) });
    expect(r.status).toBe('completed');
    expect(resumed.map((i) => [i.epoch, i.step, i.stepsPerEpoch, i.history.length, i.source])).toEqual([[1, 0, 2, 1, 'checkpoint']]);
    ok.dispose();

    const slot = Object.keys(good.optimizer).find((k) => k.endsWith('.exp_avg'))!;
    const badSlot = { ...good, optimizer: { ...good.optimizer, [slot]: { ...good.optimizer[slot], data: Float32Array.from(good.optimizer[slot].data as Float32Array, () => NaN) } } };
    const badWeight = { ...good, weights: { ...good.weights, 'net.fc.bias': { ...good.weights['net.fc.bias'], data: Float32Array.from(good.weights['net.fc.bias'].data as Float32Array, () => Infinity) } } };
    for (const [bad, message] of [
      [badSlot, new RegExp(`^checkpoint \\(optimizer state\\): tensor ${slot.replace(/\./g, '\\.')} holds NaN`)],
      [badWeight, /^checkpoint: tensor net\.fc\.bias holds NaN or infinite values/],
    ] as const) {
      const model = new WithSpare();
      const before = tf.memory().numTensors;
      const run = train(model, data, { ...opts, checkpoints: Object.assign(new MemoryCheckpointStore(), { bytes: encodeCheckpoint(bad) }), resume: true });
      await expect(run).rejects.toBeInstanceOf(NonFiniteWeightsError);
      await expect(run).rejects.toThrow(message);
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    }
  }, 120_000);
});
