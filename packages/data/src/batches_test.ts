import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeFixture } from '../test/fixtures.js';
import { epochOrder, FashionMnist, numBatches, type BatchOptions } from './index.js';

beforeAll(async () => {
  expect(await tf.setBackend('cpu')).toBe(true);
});

const f = makeFixture(53);
const ds = new FashionMnist({ split: 'train', images: f.pixels, labels: f.labels, source: { kind: 'memory' } });

function maxDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

async function collect(o: BatchOptions): Promise<{ x: number[][]; y: number[]; indices: number[]; shapes: number[][] }> {
  const out = { x: [] as number[][], y: [] as number[], indices: [] as number[], shapes: [] as number[][] };
  for await (const b of ds.batches(o)) {
    out.x.push(Array.from(b.x.dataSync()));
    out.y.push(...b.y.dataSync());
    out.indices.push(...b.indices);
    out.shapes.push(b.x.shape);
    expect(b.x.dtype).toBe('float32');
    expect(b.y.dtype).toBe('int32');
    tf.dispose([b.x, b.y]);
  }
  return out;
}

describe('batches', () => {
  it('covers every example once per epoch, in epochOrder when shuffled, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const seen: number[] = [];
    let n = 0;
    for await (const { x, y, indices } of ds.batches({ batchSize: 8, shuffle: true, seed: 9, epoch: 2 })) {
      expect(x.shape).toEqual([indices.length, 28, 28, 1]);
      expect(Array.from(y.dataSync())).toEqual(Array.from(indices, (i) => f.labels[i]));
      seen.push(...indices);
      n++;
      tf.dispose([x, y]);
      counts.push(tf.memory().numTensors);
    }
    expect(n).toBe(7);
    expect(ds.numBatches({ batchSize: 8 })).toBe(7);
    expect(seen).toEqual(Array.from(epochOrder(53, 9, 2)));
    expect(new Set(seen).size).toBe(53);
    expect(counts.every((c) => c === before)).toBe(true);
  });

  it('starts mid-epoch with startBatch: the same later batches, augmentation included', async () => {
    const o: BatchOptions = { batchSize: 8, shuffle: true, seed: 4, epoch: 1, augment: { flip: true, cropPadding: 2, brightness: 0.2, contrast: 0.2 } };
    const whole = await collect(o);
    const tail = await collect({ ...o, startBatch: 3 });
    expect(tail.indices).toEqual(whole.indices.slice(3 * 8));
    expect(tail.x).toEqual(whole.x.slice(3));
    expect(() => ds.batches({ ...o, startBatch: 8 })).toThrow(/startBatch must be an integer in \[0, 7\]/);
  });

  it('yields pixels / 255 in file order without shuffle', async () => {
    const { x, indices } = await collect({ batchSize: 53 });
    expect(indices).toEqual(Array.from({ length: 53 }, (_, i) => i));
    expect(maxDiff(x[0], Array.from(f.pixels, (p) => p / 255))).toBeLessThan(1e-6);
  });

  it('drops the last partial batch on request', async () => {
    expect(numBatches(53, { batchSize: 10, dropLast: true })).toBe(5);
    const { shapes } = await collect({ batchSize: 10, dropLast: true });
    expect(shapes.map((s) => s[0])).toEqual([10, 10, 10, 10, 10]);
  });

  it('normalizes with mean/std and resizes on the backend', async () => {
    const { x } = await collect({ batchSize: 53, normalize: { mean: 0.5, std: 0.25 } });
    expect(maxDiff(x[0], Array.from(f.pixels, (p) => (p / 255 - 0.5) / 0.25))).toBeLessThan(1e-5);
    const r = await collect({ batchSize: 20, resize: 56 });
    expect(r.shapes).toEqual([
      [20, 56, 56, 1],
      [20, 56, 56, 1],
      [13, 56, 56, 1],
    ]);
  });

  it('augments deterministically under a seed, the same with or without prefetch', async () => {
    const o: BatchOptions = { batchSize: 16, shuffle: true, seed: 4, augment: { flip: true, cropPadding: 2, brightness: 0.3, contrast: 0.3 } };
    const a = await collect(o);
    const b = await collect({ ...o, prefetch: false });
    expect(b.x).toEqual(a.x);
    const plain = await collect({ ...o, augment: false });
    expect(plain.indices).toEqual(a.indices);
    expect(plain.x).not.toEqual(a.x);
    const other = await collect({ ...o, seed: 5 });
    expect(other.x).not.toEqual(a.x);
  });

  it('draws the seed from an rng when given one', async () => {
    const seed = new Rng(11).nextUint32();
    const a = await collect({ batchSize: 53, shuffle: true, rng: new Rng(11) });
    expect(a.indices).toEqual(Array.from(epochOrder(53, seed, 0)));
  });

  it('does not leak when the consumer stops early', async () => {
    const before = tf.memory().numTensors;
    for await (const b of ds.batches({ batchSize: 4, resize: 32 })) {
      tf.dispose([b.x, b.y]);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(() => ds.batches({ batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
  });
});
