import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';
import { buildShapeOnly } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel, MODEL_NAMES } from './registry.js';
import { formatSummary, summary } from './summary.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('summary', () => {
  it("expand lists every layer of AlexNet (conv's 13 and fc's 4), with forward's flatten before fc", () => {
    const net = createModel('alexnet', { hiddenLayers: 1, inputSize: 67 });
    const s = summary(net, { inputSize: 67 }, { expand: true });
    expect(s.layers.map((l) => l.name)).toEqual([...Array.from({ length: 13 }, (_, i) => `conv.${i}`), 'fc.0', 'fc.1', 'fc.2', 'fc.3']);
    expect(s.layers.map((l) => l.type).slice(0, 3)).toEqual(['Conv2d', 'ReLU', 'MaxPool2d']);
    expect(s.layers[0].outputShape).toEqual([1, 96, 15, 15]);
    expect(s.layers[12].outputShape).toEqual([1, 256, 1, 1]);
    expect(s.layers[13]).toMatchObject({ type: 'Linear', outputShape: [1, 4096], params: 256 * 4096 + 4096 });
    expect(s.layers.at(-1)!.outputShape).toEqual([1, 10]);
    expect(s.layers.reduce((n, l) => n + l.params, 0)).toBe(net.numParams());
    // The block rows end where their expanded layers end.
    const blocks = summary(net, { inputSize: 67 });
    expect(blocks.layers.map((l) => [l.name, l.outputShape])).toEqual([['conv', [1, 256, 1, 1]], ['fc', [1, 10]]]);
    net.dispose();
  });

  it.each(MODEL_NAMES)('%s: expanded shapes end at the logits, params add up, and match a forward pass', (name) => {
    const size = name === 'lenet' ? 28 : name === 'alexnet' || name === 'nin' ? 67 : 32;
    const net = createModel(name, { inputSize: size, ...(name === 'vgg11' ? { widthRatio: 8 } : {}) });
    const s = summary(net, { inputSize: size }, { expand: true });
    const blocks = summary(net, { inputSize: size }).layers.length;
    if (name === 'lenet') expect(s.layers).toHaveLength(blocks); // already one layer per child
    else expect(s.layers.length).toBeGreaterThan(blocks);
    expect(s.layers.at(-1)!.outputShape).toEqual([1, 10]);
    expect(s.layers.reduce((n, l) => n + l.params, 0)).toBe(net.numParams());
    net.eval();
    const y = tf.tidy(() => net.forward(tf.zeros([1, size, size, 1])));
    expect(y.shape).toEqual([1, 10]);
    y.dispose();
    net.dispose();
  });

  it('summarises a network built for shapes only: VGG-11 at 224 with its 128.8M parameters, no tensors', () => {
    const before = tf.memory().numTensors;
    const net = buildShapeOnly(() => createModel('vgg11', { inputSize: 224 }));
    const s = summary(net, { inputSize: 224 }, { expand: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(s.params).toBe(128_806_154);
    expect(s.layers.find((l) => l.name === 'fc.1')).toMatchObject({ type: 'Linear', outputShape: [1, 4096] });
    expect(formatSummary(s)).toMatch(/total params: 128,806,154/);
    expect(() => net.forward(tf.zeros([1, 224, 224, 1]))).toThrow(/built for shapes only/);
    net.dispose();
    tf.disposeVariables();
  });

  it('a too-small input names the layer inside the block', () => {
    const net = buildShapeOnly(() => createModel('alexnet', { hiddenLayers: 1, inputSize: 67 }));
    expect(() => summary(net, { inputSize: 40 }, { expand: true })).toThrow(/^conv\.\d+ \(MaxPool2d.*is too small/);
  });
});
