import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyInit } from './apply_init.js';
import { useStockBackend } from '../test/stock_backend.js';
import { calculateGain, fanInAndOut, fromTorchValues, initBound, pytorchDefaultInit, sample } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { Rng } from './random.js';

function stats(a: Float32Array): { mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of a) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / a.length;
  let sq = 0;
  for (const v of a) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / a.length), min, max };
}

beforeAll(async () => {
  await useStockBackend('cpu');
});

describe('initializers follow torch.nn.init formulas', () => {
  it('computes fan in and out like _calculate_fan_in_and_fan_out', () => {
    expect(fanInAndOut([96, 1, 11, 11])).toEqual({ fanIn: 121, fanOut: 96 * 121 });
    expect(fanInAndOut([10, 4096])).toEqual({ fanIn: 4096, fanOut: 10 });
    expect(() => fanInAndOut([5])).toThrow(/at least 2 dimensions/);
  });

  it('gives kaiming_uniform(a=√5) the bound 1/√fan_in, as nn.Conv2d and nn.Linear', () => {
    const shape = [64, 32, 3, 3];
    const fanIn = 32 * 9;
    const gain = Math.sqrt(2 / (1 + 5));
    expect(calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(gain, 12);
    expect(initBound({ kind: 'kaimingUniform', a: Math.sqrt(5) }, shape)).toBeCloseTo(1 / Math.sqrt(fanIn), 12);
    const w = stats(sample({ kind: 'kaimingUniform', a: Math.sqrt(5) }, shape, new Rng(1)));
    const bound = 1 / Math.sqrt(fanIn);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeLessThanOrEqual(bound);
    expect(Math.abs(w.mean)).toBeLessThan(bound * 0.02);
    expect(w.std).toBeCloseTo(bound / Math.sqrt(3), 3);
  });

  it('gives biases U(±1/√fan_in)', () => {
    const { weight, bias } = pytorchDefaultInit([120, 400], new Rng(2));
    expect(weight.length).toBe(48000);
    const b = stats(bias);
    expect(b.max).toBeLessThanOrEqual(1 / Math.sqrt(400));
    expect(b.min).toBeGreaterThanOrEqual(-1 / Math.sqrt(400));
  });

  it('matches xavier_uniform and xavier_normal bounds and spread', () => {
    const shape = [256, 384, 3, 3];
    const { fanIn, fanOut } = fanInAndOut(shape);
    const a = Math.sqrt(6 / (fanIn + fanOut));
    const u = stats(sample({ kind: 'xavierUniform' }, shape, new Rng(3)));
    expect(u.max).toBeLessThanOrEqual(a);
    expect(u.min).toBeGreaterThanOrEqual(-a);
    expect(u.std).toBeCloseTo(a / Math.sqrt(3), 4);
    const std = Math.sqrt(2 / (fanIn + fanOut));
    const n = stats(sample({ kind: 'xavierNormal' }, shape, new Rng(4)));
    expect(Math.abs(n.mean)).toBeLessThan(std * 0.01);
    expect(n.std / std).toBeGreaterThan(0.99);
    expect(n.std / std).toBeLessThan(1.01);
  });

  it('re-initialises only conv and linear weights with applyInit', () => {
    class Net extends Module {
      w = this.registerParameter('weight', new Parameter(tf.zeros([3, 3, 2, 4]), 'conv2d'));
      b = this.registerParameter('bias', new Parameter(tf.zeros([4])));
      forward(x: tf.Tensor): tf.Tensor {
        return x;
      }
    }
    const net = new Net();
    applyInit(net, { kind: 'xavierUniform' }, new Rng(5));
    const bound = Math.sqrt(6 / (2 * 9 + 4 * 9));
    const w = stats(net.w.variable.dataSync() as Float32Array);
    expect(w.max).toBeLessThanOrEqual(bound);
    expect(w.std).toBeGreaterThan(0);
    expect(Array.from(net.b.variable.dataSync())).toEqual([0, 0, 0, 0]);
    net.dispose();
  });
});

describe('seeded init is the same on every backend', () => {
  it('gives identical weights on cpu and wasm for one seed', async () => {
    const draw = async (backend: 'cpu' | 'wasm'): Promise<Float32Array> => {
      await useStockBackend(backend);
      const p = new Parameter(tf.zeros([5, 5, 3, 8]), 'conv2d');
      const { weight } = pytorchDefaultInit([8, 3, 5, 5], new Rng(42));
      p.assign(tf.tidy(() => tf.transpose(tf.tensor(weight, [8, 3, 5, 5]), [2, 3, 1, 0])));
      const out = (await p.variable.data()) as Float32Array;
      p.dispose();
      return out;
    };
    const onCpu = await draw('cpu');
    const onWasm = await draw('wasm');
    await useStockBackend('cpu');
    expect(Array.from(onWasm)).toEqual(Array.from(onCpu));
  });
});

describe('fromTorchValues', () => {
  it('lays PyTorch conv and linear values out as tfjs does, like a transpose', () => {
    const conv = Float32Array.from({ length: 4 * 3 * 2 * 5 }, (_, i) => i);
    const viaJs = fromTorchValues('conv2d', conv, [4, 3, 2, 5]);
    const viaTf = tf.tidy(() => tf.transpose(tf.tensor(conv, [4, 3, 2, 5]), [2, 3, 1, 0]));
    expect(viaJs.shape).toEqual([2, 5, 3, 4]);
    expect(Array.from(viaJs.dataSync())).toEqual(Array.from(viaTf.dataSync()));
    const lin = Float32Array.from({ length: 6 * 7 }, (_, i) => i);
    const l = fromTorchValues('linear', lin, [6, 7]);
    const lt = tf.tidy(() => tf.transpose(tf.tensor(lin, [6, 7])));
    expect(Array.from(l.dataSync())).toEqual(Array.from(lt.dataSync()));
    tf.dispose([viaJs, viaTf, l, lt]);
  });
});
