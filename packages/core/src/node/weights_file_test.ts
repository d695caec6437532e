import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStockBackend } from '../../test/stock_backend.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { loadWeightsFile, saveWeightsFile } from './weights_file.js';
import { writeFileAtomic } from './write_file_atomic.js';

class Tiny extends Module {
  readonly w = this.registerParameter('weight', new Parameter(tf.tensor2d([1, 2, 3, 4], [2, 2]), 'linear'));
  forward(x: tf.Tensor): tf.Tensor {
    return x;
  }
}

beforeAll(async () => {
  await useStockBackend('cpu');
});

describe('weights files', () => {
  it('saves atomically and loads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convnets-core-'));
    const path = join(dir, 'sub', 'model.safetensors');
    const a = new Tiny();
    await saveWeightsFile(a, path, { model: 'tiny' });
    expect(await readdir(join(dir, 'sub'))).toEqual(['model.safetensors']);
    const b = new Tiny();
    b.w.assign(tf.zeros([2, 2]));
    expect(await loadWeightsFile(b, path)).toEqual({ format: 'pt', model: 'tiny' });
    expect(Array.from(b.w.variable.dataSync())).toEqual([1, 2, 3, 4]);
    a.dispose();
    b.dispose();
  });

  it('says clearly when the file is missing or not safetensors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convnets-core-'));
    const net = new Tiny();
    await expect(loadWeightsFile(net, join(dir, 'nope.safetensors'))).rejects.toThrow(/nope\.safetensors: no such weights file/);
    await writeFile(join(dir, 'junk.safetensors'), 'hello');
    await expect(loadWeightsFile(net, join(dir, 'junk.safetensors'))).rejects.toThrow(/junk\.safetensors: truncated/);
    net.dispose();
  });

  it('leaves the old file whole when a write fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convnets-core-'));
    const path = join(dir, 'f.txt');
    await writeFileAtomic(path, 'old');
    const notData = { length: 1 } as unknown as string;
    await expect(writeFileAtomic(path, notData)).rejects.toThrow();
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['f.txt']);
  });
});
