import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors } from '@convnets/core';
import { useBackend } from '@convnets/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TinyNet } from '../../test/tiny_net.js';
import { loadCheckpointWeights } from '../checkpoint.js';
import { FileCheckpointStore } from './file_checkpoint_store.js';
import { train } from '../train_ch5.js';
import { smallSplits } from '../../test/fixtures.js';

let dir = '';
beforeAll(async () => {
  await useBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'ckpt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileCheckpointStore', () => {
  it('returns null when the directory holds no checkpoint', async () => {
    expect(await new FileCheckpointStore(join(dir, 'none')).load()).toBeNull();
  });

  it('writes checkpoint.safetensors (weights under PyTorch names, optimizer/ slots, state) and checkpoint.json, no temp files', async () => {
    const store = new FileCheckpointStore(join(dir, 'run'));
    const net = new TinyNet();
    await train(net, await smallSplits(), { epochs: 1, batchSize: 128, lr: 0.01, optimizer: 'adam', checkpoints: store, seed: 5 });
    expect((await readdir(store.dir)).sort()).toEqual(['checkpoint.json', 'checkpoint.safetensors']);
    const { tensors, metadata } = decodeSafetensors(await readFile(store.weightsPath));
    expect(Object.keys(tensors).sort()).toEqual([
      'conv.bias', 'conv.weight', 'fc.bias', 'fc.weight',
      'optimizer/conv.bias.exp_avg', 'optimizer/conv.bias.exp_avg_sq', 'optimizer/conv.weight.exp_avg', 'optimizer/conv.weight.exp_avg_sq',
      'optimizer/fc.bias.exp_avg', 'optimizer/fc.bias.exp_avg_sq', 'optimizer/fc.weight.exp_avg', 'optimizer/fc.weight.exp_avg_sq',
    ]);
    expect(tensors['conv.weight'].shape).toEqual([4, 1, 3, 3]);
    expect(metadata.format).toBe('pt');
    const json = JSON.parse(await readFile(store.statePath, 'utf8'));
    expect(json).toMatchObject({ format: 'convnets-checkpoint', reason: 'epoch', epoch: 1, step: 0, globalStep: 4, optimizer: { kind: 'adam', step: 4 } });
    expect(json.history).toHaveLength(1);
    const loaded = await store.load();
    expect(loaded?.state).toEqual(json);
    const other = new TinyNet({ seed: 77 });
    loadCheckpointWeights(other, loaded!);
    expect(Array.from(other.fc.bias.value.dataSync())).toEqual(Array.from(net.fc.bias.value.dataSync()));
    net.dispose();
    other.dispose();
  });

  it('a damaged checkpoint is reported with its path', async () => {
    const store = new FileCheckpointStore(join(dir, 'bad'));
    const { writeFileAtomic } = await import('@convnets/core/node');
    await writeFileAtomic(store.weightsPath, new Uint8Array([1, 2, 3]));
    await expect(store.load()).rejects.toThrow(/bad\/checkpoint\.safetensors: truncated/);
  });
});
