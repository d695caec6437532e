import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { Module, Parameter } from '@convnets/core';
import { useBackend } from '@convnets/backends';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, Sigmoid } from '@convnets/layers';
import { forwardFlops, gflopsPerSec, opMacs, tfjsLayersOps, traceModuleOps, trainFlops } from './flops.js';

class TinyConv extends Module {
  readonly weight: Parameter;
  constructor(inC: number, outC: number, k: number) {
    super();
    this.weight = this.registerParameter('weight', new Parameter(tf.ones([k, k, inC, outC]), 'conv2d'));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.conv2d(x as tf.Tensor4D, this.weight.value as tf.Tensor4D, 1, 'valid');
  }
}

class TinyLinear extends Module {
  readonly weight: Parameter;
  constructor(inF: number, outF: number) {
    super();
    this.weight = this.registerParameter('weight', new Parameter(tf.ones([inF, outF]), 'linear'));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.matMul(tf.reshape(x, [x.shape[0]!, -1]) as tf.Tensor2D, this.weight.value as tf.Tensor2D);
  }
}

/** conv 3x3 1->4 (8x8 -> 6x6), max-pool 2 (-> 3x3), linear 36 -> 10. */
class TinyNet extends Module {
  readonly conv = this.registerModule('conv', new TinyConv(1, 4, 3));
  readonly fc = this.registerModule('fc', new TinyLinear(36, 10));
  forward(x: tf.Tensor): tf.Tensor {
    return this.fc.forward(tf.maxPool(tf.relu(this.conv.forward(x)) as tf.Tensor4D, 2, 2, 'valid'));
  }
}

// By hand: conv 6*6*4 outputs x 3*3*1 MACs = 1296; linear 36*10 = 360; 1656 MACs.
const MACS = 6 * 6 * 4 * 9 + 36 * 10;

describe('FLOP counter', () => {
  it('counts a tiny conv net by hand: forward = 2 x MACs, training = 3 x forward', async () => {
    await useBackend('cpu');
    const net = new TinyNet();
    const ops = traceModuleOps(net, [8, 8, 1]);
    expect(ops).toEqual([
      { kind: 'conv', name: 'conv', kh: 3, kw: 3, inC: 1, outC: 4, outH: 6, outW: 6 },
      { kind: 'linear', name: 'fc', inF: 36, outF: 10 },
    ]);
    expect(ops.map(opMacs)).toEqual([1296, 360]);
    expect(forwardFlops(ops)).toBe(2 * MACS);
    expect(trainFlops(ops)).toBe(6 * MACS);
    expect(gflopsPerSec(1e9, 2)).toBe(2);
    expect(gflopsPerSec(1e9, null)).toBeNull();
    // The wrapped forward() methods are restored.
    expect(Object.prototype.hasOwnProperty.call(net.conv, 'forward')).toBe(false);
    net.dispose();
  });

  it('counts the same net built with tfjs-layers the same way', async () => {
    await useBackend('cpu');
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 10 }),
      ],
    });
    expect(forwardFlops(tfjsLayersOps(model))).toBe(2 * MACS);
    model.dispose();
  });

  it('counts convolutions that run fused with their ReLU or Sigmoid', async () => {
    await useBackend('cpu');
    for (const act of [new ReLU(), new Sigmoid()]) {
      const net = new Sequential(new Conv2d(1, 4, 3), act, new MaxPool2d(2), new Flatten(), new Linear(36, 10));
      const ops = traceModuleOps(net, [8, 8, 1]);
      expect(forwardFlops(ops), act.typeName).toBe(2 * MACS);
      for (const method of ['forward', 'forwardRelu', 'forwardSigmoid']) expect(Object.prototype.hasOwnProperty.call(net.at(0), method)).toBe(false);
      net.dispose();
    }
  });
});
