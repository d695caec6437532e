import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { wasm } from '../test/helpers.js';
import { alexnet } from './alexnet.js';
import { lenet } from './lenet.js';
import { summary } from './summary.js';
import { walkLayers } from './walk_layers.js';

beforeAll(wasm);

describe('walkLayers and summary({ expand })', () => {
  it("AlexNet: every layer inside conv and fc, each right after its block, fc's fed the flattened features", () => {
    const net = alexnet({ hiddenLayers: 1, inputSize: 67 });
    net.eval();
    const conv = (i: number) => `conv.${i}`;
    const walked = tf.tidy(() => {
      const rows: [string, number, number[]][] = [];
      walkLayers(net, tf.zeros([1, 67, 67, 1]), (l) => rows.push([l.name, l.depth, l.output.shape]), { expand: true });
      return rows;
    });
    expect(walked.map(([name, depth]) => [name, depth])).toEqual([
      ['conv', 0],
      ...Array.from({ length: 13 }, (_, i) => [conv(i), 1]),
      ['fc', 0],
      ['fc.0', 1], ['fc.1', 1], ['fc.2', 1], ['fc.3', 1],
    ]);
    // NHWC out of walkLayers; fc.0 sees the flattened 256 features.
    expect(walked.find(([n]) => n === 'conv.0')![2]).toEqual([1, 15, 15, 96]);
    expect(walked.find(([n]) => n === 'fc.0')![2]).toEqual([1, 4096]);
    // summary({ expand }) lists the same layers, on shapes alone, one level deep, in NCHW.
    const s = summary(net, { inputSize: 67 }, { expand: true });
    expect(s.layers.map((l) => [l.name, l.depth])).toEqual(walked.filter(([, d]) => d === 1).map(([n, d]) => [n, d]));
    expect(s.layers[0]).toMatchObject({ type: 'Conv2d', outputShape: [1, 96, 15, 15] });
    expect(s.layers.map((l) => l.type).slice(0, 3)).toEqual(['Conv2d', 'ReLU', 'MaxPool2d']);
    // Without expand: the seed's two top-level rows, and no depth field.
    expect(summary(net, { inputSize: 67 }).layers.map((l) => [l.name, l.depth])).toEqual([['conv', undefined], ['fc', undefined]]);
    net.dispose();
  });

  it("each layer's output feeds the next: the last one is the model's forward, and no tensor leaks", async () => {
    const net = lenet({ activation: 'relu', pool: 'max' });
    net.eval();
    const before = tf.memory().numTensors;
    const [walked, direct, count] = tf.tidy(() => {
      const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 3);
      const seen: string[] = [];
      const y = walkLayers(net, x, (l) => seen.push(l.name), { expand: true });
      return [y, net.forward(x), tf.scalar(seen.length)];
    });
    expect(await count.data()).toEqual(new Float32Array([12]));
    const [a, b] = [await walked.data(), await direct.data()];
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
    tf.dispose([walked, direct, count]);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});
