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
    const s = summary(net, { inputSize: 67 }, { expand: true });
    const rows = s.layers.map((l) => [l.name, l.depth, l.outputShape]);
    expect(rows).toEqual([
      ['conv', 0, [1, 256, 1, 1]],
      ['conv.0', 1, [1, 96, 15, 15]], ['conv.1', 1, [1, 96, 15, 15]], ['conv.2', 1, [1, 96, 7, 7]],
      ['conv.3', 1, [1, 256, 7, 7]], ['conv.4', 1, [1, 256, 7, 7]], ['conv.5', 1, [1, 256, 3, 3]],
      ['conv.6', 1, [1, 384, 3, 3]], ['conv.7', 1, [1, 384, 3, 3]], ['conv.8', 1, [1, 384, 3, 3]], ['conv.9', 1, [1, 384, 3, 3]],
      ['conv.10', 1, [1, 256, 3, 3]], ['conv.11', 1, [1, 256, 3, 3]], ['conv.12', 1, [1, 256, 1, 1]],
      ['fc', 0, [1, 10]],
      ['fc.0', 1, [1, 4096]], ['fc.1', 1, [1, 4096]], ['fc.2', 1, [1, 4096]], ['fc.3', 1, [1, 10]],
    ]);
    expect(s.layers.map((l) => l.type).slice(1, 4)).toEqual(['Conv2d', 'ReLU', 'MaxPool2d']);
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
