/**
 * The trainer on WebGPU in-process (Dawn in Node; Mesa llvmpipe here, which .ci/run installs):
 * train with file checkpoints, evaluate and saveWeights. Every read must be asynchronous: tfjs
 * warns on the first synchronous GPU read, which then fails in Node (no OffscreenCanvas).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, useBackend } from '@convnets/backends';
import { decodeSafetensors, DeviceComputeError, loadWeights, saveWeights, stateDict } from '@convnets/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { smallSplits } from '../test/fixtures.js';
import { expectResumeBitEqual } from '../test/resume_check.js';
import { TinyNet } from '../test/tiny_net.js';
import { evaluate } from './evaluate.js';
import { FileCheckpointStore } from './node/file_checkpoint_store.js';
import { train } from './train_ch5.js';
import { requireSystem } from '@convnets/vitest-config/system';

// Records a skip line for the run's summary (or fails under CI) when Mesa's EGL/GL ES is missing.
await requireSystem('mesa', import.meta.url);

const warnings: string[] = [];
let unavailable: string | undefined;
const syncReadWarnings = () => warnings.filter((w) => /synchronously reading data from GPU/.test(w));

beforeAll(async () => {
  try {
    await useBackend('webgpu');
  } catch (e) {
    // In CI a missing adapter is a failure: .ci/run installs Mesa for Dawn.
    if (!(e instanceof BackendUnavailableError) || process.env.CI) throw e;
    unavailable = e.message;
    return;
  }
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  });
});

afterAll(() => {
  vi.restoreAllMocks();
});

describe('train, evaluate and saveWeights on webgpu (Dawn in Node)', () => {
  beforeEach((ctx) => {
    if (unavailable) ctx.skip(`no WebGPU adapter here: ${unavailable}`);
  });

  it('train with file checkpoints: aborted mid-epoch and resumed, it ends bit for bit as a straight run', async () => {
    expect(tf.getBackend()).toBe('webgpu');
    const dir = mkdtempSync(join(tmpdir(), 'convnets-webgpu-'));
    let runs = 0;
    const before = tf.memory().numTensors;
    // 256 examples, 4 steps an epoch: llvmpipe takes a while a step.
    await expectResumeBitEqual(() => new FileCheckpointStore(join(dir, `run-${runs++}`)), { epoch: 2, step: 3 }, {}, [256, 128]);
    expect(runs).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
    expect(syncReadWarnings()).toEqual([]);
  }, 600_000);

  it('evaluate, then saveWeights and loadWeights: the same predictions, numTensors flat', async () => {
    const data = await smallSplits(256, 128);
    const net = new TinyNet({ seed: 1 });
    await train(net, data, { epochs: 1, batchSize: 64, lr: 0.01, optimizer: 'adam' });
    const before = tf.memory().numTensors;
    const r = await evaluate(net, data.test, { batchSize: 64 });
    const bytes = await saveWeights(net, { note: 'webgpu' });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(128);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toMatchObject({ format: 'pt', note: 'webgpu' });
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(await stateDict(net)).sort());

    const copy = new TinyNet({ seed: 2 });
    loadWeights(copy, bytes);
    const again = await evaluate(copy, data.test, { batchSize: 64 });
    expect(Array.from(again.predictions)).toEqual(Array.from(r.predictions));
    expect(again.accuracy).toBe(r.accuracy);
    net.dispose();
    copy.dispose();
    expect(syncReadWarnings()).toEqual([]);
  }, 600_000);

  it('an error the GPU reports mid-run (kernels it dropped) stops train with DeviceComputeError before the next checkpoint', async () => {
    const data = await smallSplits(256, 128);
    const net = new TinyNet({ seed: 1 });
    const store = new FileCheckpointStore(mkdtempSync(join(tmpdir(), 'convnets-webgpu-error-')));
    const device = (tf.backend() as unknown as { device: GPUDevice }).device;
    const run = train(net, data, {
      epochs: 3, batchSize: 64, lr: 0.01, optimizer: 'adam', checkpoints: store,
      // After epoch 2's metrics and before its checkpoint: what a dropped command buffer reports.
      onEpoch: (m) => {
        if (m.epoch === 2) device.createBuffer({ size: 4, usage: 0 });
      },
    });
    await expect(run).rejects.toThrow(DeviceComputeError);
    expect((await store.load())?.state.epoch).toBe(1);
    net.dispose();
  }, 600_000);
});
