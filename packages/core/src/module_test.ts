import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStockBackend } from '../test/stock_backend.js';
import { Buffer, Module } from './module.js';
import { Parameter } from './parameter.js';

class Dense extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor(inF: number, outF: number) {
    super();
    this.weight = this.registerParameter('weight', new Parameter(tf.ones([inF, outF]), 'linear'));
    this.bias = this.registerParameter('bias', new Parameter(tf.zeros([outF])));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x as tf.Tensor2D, this.weight.value as tf.Tensor2D), this.bias.value);
  }
}

class Seq extends Module {
  constructor(...mods: Module[]) {
    super();
    mods.forEach((m, i) => this.registerModule(String(i), m));
  }
  override get typeName(): string {
    return 'Sequential';
  }
  forward(x: tf.Tensor): tf.Tensor {
    return this.children().reduce((h, m) => m.forward(h), x);
  }
}

class Norm extends Module {
  constructor() {
    super();
    this.registerBuffer('running_mean', new Buffer(tf.zeros([2])));
    this.registerBuffer('num_batches_tracked', new Buffer(tf.scalar(0, 'int32'), 'I64'));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return x;
  }
}

class Net extends Module {
  constructor() {
    super();
    this.registerModule('conv', new Seq(new Dense(3, 4), new Seq(new Dense(4, 2), new Norm())));
    this.registerModule('fc', new Seq(new Norm(), new Dense(2, 1)));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return this.children().reduce((h, m) => m.forward(h), x);
  }
}

beforeAll(async () => {
  await useStockBackend('cpu');
});

describe('Module', () => {
  it("reports PyTorch's dotted state_dict names through nested Sequentials", () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual(['conv.0.weight', 'conv.0.bias', 'conv.1.0.weight', 'conv.1.0.bias', 'fc.1.weight', 'fc.1.bias']);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['conv.1.1.running_mean', 'conv.1.1.num_batches_tracked', 'fc.0.running_mean', 'fc.0.num_batches_tracked']);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['conv', 'fc']);
    expect(net.namedModules().map(([n]) => n)).toEqual(['', 'conv', 'conv.0', 'conv.1', 'conv.1.0', 'conv.1.1', 'fc', 'fc.0', 'fc.1']);
    expect(net.numParams()).toBe(3 * 4 + 4 + 4 * 2 + 2 + 2 * 1 + 1);
    expect(net.parameters()).toHaveLength(6);
    expect(net.trainableVariables().every((v) => v.trainable)).toBe(true);
    net.dispose();
  });

  it('switches train and eval mode through the tree', () => {
    const net = new Net();
    expect(net.namedModules().every(([, m]) => m.training)).toBe(true);
    net.eval();
    expect(net.namedModules().every(([, m]) => !m.training)).toBe(true);
    net.train();
    expect(net.namedModules().every(([, m]) => m.training)).toBe(true);
    net.dispose();
  });

  it('prints like print(net) and refuses bad or repeated names', () => {
    const net = new Net();
    expect(net.toString()).toContain('(conv): Sequential(\n    (0): Dense()');
    expect(() => net.registerModule('conv', new Norm())).toThrow(/already registered/);
    expect(() => net.registerModule('a.b', new Norm())).toThrow(/contain no "\."/);
    net.dispose();
  });

  it('frees every variable on dispose', () => {
    // One warm-up round: tfjs caches a few constants on first use.
    const warm = new Net();
    tf.tidy(() => warm.forward(tf.ones([2, 3]))).dispose();
    warm.dispose();
    const before = tf.memory().numTensors;
    const net = new Net();
    tf.tidy(() => net.forward(tf.ones([2, 3]))).dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
