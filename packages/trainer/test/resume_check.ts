/** The resume-equality scenario, shared by the cpu and wasm tests. */
import { saveWeights } from '@convnets/core';
import { expect } from 'vitest';
import { train, type CheckpointStore, type TrainOptions, type TrainResult } from '../src/index.js';
import { smallSplits } from './fixtures.js';
import { TinyNet } from './tiny_net.js';

const OPTS: TrainOptions = { epochs: 2, batchSize: 64, lr: 0.01, optimizer: 'adam', seed: 7, syncEvery: 3, clipGradNorm: 5, labelSmoothing: 0.1 };

/**
 * Trains TinyNet (with dropout, so the Rng state matters) 2 epochs straight, and again with an
 * abort at `abortAt` (epoch, step) and a resume from the checkpoint; both must agree bit for bit.
 */
export async function expectResumeBitEqual(
  makeStore: () => CheckpointStore,
  abortAt: { epoch: number; step: number },
  extra: Partial<TrainOptions> = {},
  sizes: [train: number, test: number] = [512, 256],
): Promise<{ straight: TrainResult; resumed: TrainResult }> {
  const data = await smallSplits(...sizes);
  const a = new TinyNet({ seed: 3 });
  const straight = await train(a, data, { ...OPTS, ...extra, checkpoints: makeStore() });

  const store = makeStore();
  const b = new TinyNet({ seed: 3 });
  const ctrl = new AbortController();
  const first = await train(b, data, {
    ...OPTS,
    ...extra,
    checkpoints: store,
    signal: ctrl.signal,
    onStep: (e) => {
      if (e.epoch === abortAt.epoch && e.step === abortAt.step) ctrl.abort();
    },
  });
  expect(first.status).toBe('aborted');
  expect(first.epoch).toBe(abortAt.epoch - 1);
  expect(first.step).toBe(abortAt.step);
  b.dispose();

  // A fresh process would build a fresh model: its own init is overwritten by the checkpoint.
  const c = new TinyNet({ seed: 99 });
  const resumed = await train(c, data, { ...OPTS, ...extra, checkpoints: store, resume: true });
  expect(resumed.status).toBe('completed');
  expect(resumed.globalStep).toBe(straight.globalStep);
  const strip = (r: TrainResult) => r.history.map(({ loss, trainAcc, testAcc, lr, epoch }) => ({ loss, trainAcc, testAcc, lr, epoch }));
  expect(strip(resumed)).toEqual(strip(straight));
  expect(Buffer.from(await saveWeights(c)).equals(Buffer.from(await saveWeights(a)))).toBe(true);
  a.dispose();
  c.dispose();
  return { straight, resumed };
}
