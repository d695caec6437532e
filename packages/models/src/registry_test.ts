import * as tf from '@tensorflow/tfjs-core';
import { Rng, stateDict } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpu } from '../test/helpers.js';
import { createModel, defaultInputSize, MODEL_NAMES } from './registry.js';
import { formatSummary, summary } from './summary.js';

beforeAll(cpu);

describe('registry', () => {
  it('lists the models and their seed input sizes', () => {
    expect(MODEL_NAMES).toEqual(['lenet', 'alexnet', 'vgg11', 'nin', 'googlenet', 'resnet18']);
    expect(MODEL_NAMES.map(defaultInputSize)).toEqual([28, 224, 224, 224, 96, 96]);
  });

  it('rejects unknown names listing the valid ones, and options a model does not take', () => {
    expect(() => createModel('resnet50')).toThrow('Unknown model "resnet50": choose one of lenet, alexnet, vgg11, nin, googlenet, resnet18');
    expect(() => defaultInputSize('x')).toThrow(/choose one of lenet/);
    expect(() => createModel('nin', { widthRatio: 2 })).toThrow(/widthRatio is only supported by vgg11/);
    expect(() => createModel('lenet', { lrn: true })).toThrow(/inapplicable option\(s\) lrn/);
  });

  it('builds with options; the same rng seed gives the same weights', async () => {
    const a = createModel('lenet', { activation: 'relu', numClasses: 3, rng: new Rng(1) });
    const b = createModel('lenet', { activation: 'relu', numClasses: 3, rng: new Rng(1) });
    expect(Array.from((await stateDict(a))['11.weight'].data as Float32Array)).toEqual(Array.from((await stateDict(b))['11.weight'].data as Float32Array));
    expect((await stateDict(a))['11.weight'].shape).toEqual([3, 84]);
    const v = createModel('vgg11', { widthRatio: 8, inputSize: 64 });
    expect((await stateDict(v))['fc.1.weight'].shape).toEqual([512, 64 * 2 * 2]);
    [a, b, v].forEach((m) => m.dispose());
  });

  it('fails at build time when the input size is too small, naming the layer', () => {
    expect(() => createModel('alexnet', { inputSize: 32 })).toThrow(/^conv\.5 \(MaxPool2d\(kernel_size=3, stride=2.*input of shape \[1, 256, 2, 2\] \(NCHW\) is too small/);
    expect(() => createModel('lenet', { inputSize: 4 })).toThrow(/^3 \(Conv2d\(6, 16, kernel_size=\(5, 5\).*input of shape \[1, 6, 2, 2\]/);
  });
});

describe('summary', () => {
  it('reports NCHW shapes, leaks no tensors, restores the training mode and formats a table', () => {
    const net = createModel('lenet');
    const before = tf.memory().numTensors;
    const s = summary(net, { inputSize: 28, batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(net.training).toBe(true);
    expect(s.inputShape).toEqual([2, 1, 28, 28]);
    expect(s.params).toBe(net.numParams());
    expect(s.layers.reduce((n, l) => n + l.params, 0)).toBe(s.params);
    const same = summary(net, [2, 28, 28, 1]);
    expect(same.layers).toEqual(s.layers);
    const text = formatSummary(s);
    expect(text).toContain('lenet: input [2, 1, 28, 28] (NCHW)');
    expect(text).toMatch(/0\s+Conv2d\s+\[2, 6, 28, 28\]\s+156/);
    expect(text).toContain(`total params: ${s.params.toLocaleString('en-US')}`);
    net.dispose();
  });

  it('throws the layer error for a too-small input and still leaks nothing', () => {
    const net = createModel('lenet');
    const before = tf.memory().numTensors;
    expect(() => summary(net, { inputSize: 4 })).toThrow(/is too small/);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});
