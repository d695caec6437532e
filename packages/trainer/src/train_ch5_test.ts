import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallSplits } from '../test/fixtures.js';
import { expectResumeBitEqual } from '../test/resume_check.js';
import { TinyNet } from '../test/tiny_net.js';
import { MemoryCheckpointStore } from './checkpoint.js';
import { DivergenceError } from './divergence_error.js';
import { FileCheckpointStore } from './node/file_checkpoint_store.js';
import { train, trainCh5 } from './train_ch5.js';
import type { EpochMetrics, StepEvent } from './types.js';

let dir = '';

beforeAll(async () => {
  await useBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'trainer-test-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('train (wasm)', () => {
  it('learns, reports seed-style metrics and step events, and syncs only every syncEvery steps', async () => {
    const data = await smallSplits();
    const net = new TinyNet({ seed: 1 });
    const steps: StepEvent[] = [];
    const epochs: EpochMetrics[] = [];
    const r = await train(net, data, {
      epochs: 2, batchSize: 64, lr: 0.01, optimizer: 'adam', syncEvery: 4,
      onStep: (e) => steps.push(e), onEpoch: (m) => epochs.push(m),
    });
    expect(r.status).toBe('completed');
    expect(r.globalStep).toBe(16);
    expect(steps).toHaveLength(16);
    expect(steps.map((s) => s.loss !== undefined)).toEqual([false, false, false, true, false, false, false, true, false, false, false, true, false, false, false, true]);
    expect(steps[7].stepsPerEpoch).toBe(8);
    expect(epochs).toEqual(r.history);
    expect(r.history[1].epoch).toBe(2);
    expect(r.history[1].loss).toBeLessThan(r.history[0].loss);
    expect(r.history[1].testAcc).toBeGreaterThan(0.5);
    expect(r.history[0].seconds).toBeGreaterThan(0);
    expect(r.history[0].examplesPerSec).toBeGreaterThan(0);
    net.dispose();
  });

  it('resumes bit for bit after an abort mid-epoch (in-memory store)', async () => {
    await expectResumeBitEqual(() => new MemoryCheckpointStore(), { epoch: 2, step: 5 });
  });

  it('resumes bit for bit after an abort at the first step of an epoch, with SGD momentum, a schedule and a file store', async () => {
    let n = 0;
    await expectResumeBitEqual(
      () => new FileCheckpointStore(join(dir, `resume-${n++}`)),
      { epoch: 2, step: 1 },
      { optimizer: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-4, schedule: { kind: 'cosine' } },
    );
  });

  it('stops on a NaN loss with a DivergenceError and leaves the checkpoint untouched', async () => {
    const data = await smallSplits();
    const store = new FileCheckpointStore(join(dir, 'nan'));
    const net = new TinyNet({ seed: 2 });
    await train(net, data, { epochs: 1, batchSize: 64, lr: 0.01, optimizer: 'sgd', checkpoints: store });
    const before = await readFile(store.weightsPath);
    const beforeJson = await readFile(store.statePath, 'utf8');
    const tensors = tf.memory().numTensors;
    const err = await train(net, data, { epochs: 3, batchSize: 64, lr: 1e30, optimizer: 'sgd', checkpoints: store, resume: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DivergenceError);
    const d = err as DivergenceError;
    expect(d.message).toMatch(/diverged.*epoch 2, step \d+, learning rate 1e\+30.*Lower the learning rate/);
    expect(d.epoch).toBe(2);
    expect(d.step).toBeGreaterThanOrEqual(1);
    expect(tf.memory().numTensors).toBe(tensors);
    expect((await readFile(store.weightsPath)).equals(before)).toBe(true);
    expect(await readFile(store.statePath, 'utf8')).toBe(beforeJson);
    net.dispose();
  });

  it('leaks no tensors: numTensors is flat from epoch to epoch and back to the start after', async () => {
    const data = await smallSplits();
    const net = new TinyNet({ seed: 4 });
    const start = tf.memory().numTensors;
    const counts: number[] = [];
    const stepCounts = new Set<number>();
    await train(net, data, {
      epochs: 3, batchSize: 64, lr: 0.01, optimizer: 'adam', clipGradNorm: 1, checkpoints: new MemoryCheckpointStore(),
      onStep: () => stepCounts.add(tf.memory().numTensors),
      onEpoch: () => counts.push(tf.memory().numTensors),
    });
    expect(new Set(counts).size).toBe(1);
    expect(stepCounts.size).toBe(1);
    expect(tf.memory().numTensors).toBe(start);
    net.dispose();
  });

  it('an abort before the first step saves a checkpoint at epoch 0, step 0', async () => {
    const data = await smallSplits();
    const store = new MemoryCheckpointStore();
    const ctrl = new AbortController();
    ctrl.abort();
    const net = new TinyNet();
    const r = await train(net, data, { epochs: 1, batchSize: 64, lr: 0.01, optimizer: 'adam', checkpoints: store, signal: ctrl.signal });
    expect(r).toMatchObject({ status: 'aborted', epoch: 0, step: 0, globalStep: 0 });
    const c = await store.load();
    expect(c?.state).toMatchObject({ reason: 'abort', epoch: 0, step: 0 });
    net.dispose();
  });

  it('refuses to resume with different settings, naming them', async () => {
    const data = await smallSplits();
    const store = new MemoryCheckpointStore();
    const net = new TinyNet();
    await train(net, data, { epochs: 1, batchSize: 64, lr: 0.01, optimizer: 'adam', checkpoints: store });
    await expect(train(net, data, { epochs: 2, batchSize: 32, lr: 0.01, optimizer: 'adam', checkpoints: store, resume: true })).rejects.toThrow(
      /batchSize 64 \(checkpoint\) vs 32 \(now\)/,
    );
    net.dispose();
  });

  it('trainCh5 prints the seed lines', async () => {
    const data = await smallSplits();
    const lines: string[] = [];
    const net = new TinyNet();
    await trainCh5(net, data.train, data.test, 128, { kind: 'adam', lr: 0.01 }, () => useBackend('wasm'), 1, { log: (l) => lines.push(l) });
    expect(lines[0]).toBe('training on wasm');
    expect(lines[1]).toMatch(/^epoch 1, loss \d\.\d{4}, train acc \d\.\d{3}, test acc \d\.\d{3}, time \d+\.\d sec, \d+ examples\/sec$/);
    net.dispose();
  });
});

