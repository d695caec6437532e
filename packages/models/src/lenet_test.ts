import * as tf from '@tensorflow/tfjs-core';
import { stateDict } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convP, cpu, linP, out, wb } from '../test/helpers.js';
import { lenet } from './lenet.js';
import { summary } from './summary.js';

beforeAll(cpu);

describe('lenet', () => {
  it("is the book's LeNet: keys 0, 3, 7, 9, 11, parameter count and every layer's shape at 28", async () => {
    const net = lenet();
    expect(Object.keys(await stateDict(net))).toEqual(wb('0', '3', '7', '9', '11'));
    const s1 = out(28, 5, 1, 2); // conv pad 2
    const s2 = out(s1, 2, 2); // avg pool
    const s3 = out(s2, 5); // conv
    const s4 = out(s3, 2, 2);
    const flat = 16 * s4 * s4;
    expect(flat).toBe(16 * 5 * 5);
    expect(net.numParams()).toBe(convP(1, 6, 5) + convP(6, 16, 5) + linP(flat, 120) + linP(120, 84) + linP(84, 10));
    const s = summary(net, [1, 28, 28, 1]);
    expect(s.model).toBe('lenet');
    expect(s.layers.map((l) => [l.name, l.type, l.outputShape])).toEqual([
      ['0', 'Conv2d', [1, 6, s1, s1]], ['1', 'Sigmoid', [1, 6, s1, s1]], ['2', 'AvgPool2d', [1, 6, s2, s2]],
      ['3', 'Conv2d', [1, 16, s3, s3]], ['4', 'Sigmoid', [1, 16, s3, s3]], ['5', 'AvgPool2d', [1, 16, s4, s4]],
      ['6', 'Flatten', [1, flat]], ['7', 'Linear', [1, 120]], ['8', 'Sigmoid', [1, 120]],
      ['9', 'Linear', [1, 84]], ['10', 'Sigmoid', [1, 84]], ['11', 'Linear', [1, 10]],
    ]);
    net.dispose();
  });

  it('relu/max variant keeps the keys; inChannels, numClasses and inputSize resize the layers', async () => {
    const net = lenet({ activation: 'relu', pool: 'max', inChannels: 3, numClasses: 5, inputSize: 32 });
    expect(Object.keys(await stateDict(net))).toEqual(wb('0', '3', '7', '9', '11'));
    expect(net.children().map((m) => m.typeName).slice(0, 3)).toEqual(['Conv2d', 'ReLU', 'MaxPool2d']);
    const side = out(out(out(out(32, 5, 1, 2), 2, 2), 5), 2, 2);
    expect(net.numParams()).toBe(convP(3, 6, 5) + convP(6, 16, 5) + linP(16 * side * side, 120) + linP(120, 84) + linP(84, 5));
    const x = tf.zeros([2, 32, 32, 3]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      expect(net.forward(x).shape).toEqual([2, 5]);
    });
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    net.dispose();
  });

  it('trains: gradients reach every parameter', () => {
    const net = lenet();
    const x = tf.randomUniform([4, 28, 28, 1]);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(net.forward(x))) as tf.Scalar, net.trainableVariables());
    for (const v of net.trainableVariables()) {
      const g = grads[v.name];
      expect(g.shape).toEqual(v.shape);
      expect(Number.isFinite(tf.tidy(() => tf.sum(tf.abs(g)).dataSync()[0]))).toBe(true);
    }
    tf.dispose([x, value, Object.values(grads)]);
    net.dispose();
  });
});
