import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStockBackend } from '../test/stock_backend.js';
import { nonFiniteEntries, nonFiniteTensors, NonFiniteWeightsError } from './finite.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { encodeSafetensors } from './safetensors.js';
import { loadStateDict, stateDict } from './state_dict.js';
import { loadWeights } from './weights.js';

class TwoParams extends Module {
  readonly a = this.registerParameter('a', new Parameter(tf.tensor1d([1, 2, 3])));
  readonly b = this.registerParameter('b', new Parameter(tf.tensor2d([1, 2, 3, 4], [2, 2]), 'linear'));
  forward(x: tf.Tensor): tf.Tensor {
    return x;
  }
}

beforeAll(async () => {
  await useStockBackend('cpu');
});

describe('finiteness', () => {
  it('nonFiniteTensors names the tensors with NaN or Inf, with one read and no leak', async () => {
    const ok = tf.tensor1d([1, 2]);
    const nan = tf.tensor1d([1, NaN]);
    const inf = tf.tensor2d([[0, -Infinity]]);
    const ints = tf.tensor1d([1, 2], 'int32');
    const before = tf.memory().numTensors;
    expect(await nonFiniteTensors([['ok', ok], ['nan', nan], ['inf', inf], ['ints', ints]])).toEqual(['nan', 'inf']);
    expect(await nonFiniteTensors([['ok', ok]])).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([ok, nan, inf, ints]);
  });

  it('nonFiniteEntries checks float entries only', () => {
    expect(
      nonFiniteEntries({
        w: { dtype: 'F32', shape: [2], data: Float32Array.from([1, Infinity]) },
        d: { dtype: 'F64', shape: [1], data: Float64Array.from([NaN]) },
        i: { dtype: 'I64', shape: [1], data: BigInt64Array.from([1n]) },
        g: { dtype: 'F32', shape: [1], data: Float32Array.from([0]) },
      }),
    ).toEqual(['w', 'd']);
  });

  it('loadStateDict refuses NaN weights naming the tensor, and assigns nothing', async () => {
    const net = new TwoParams();
    const sd = await stateDict(net);
    const bad = { ...sd, b: { ...sd.b, data: Float32Array.from([0, 0, NaN, 0]) }, a: { ...sd.a, data: Float32Array.from([9, 9, 9]) } };
    expect(() => loadStateDict(net, bad, 'run/model.safetensors')).toThrow(NonFiniteWeightsError);
    expect(() => loadWeights(net, encodeSafetensors(bad), 'run/model.safetensors')).toThrow(
      /^run\/model\.safetensors: tensor b holds NaN or infinite values; it was saved from a diverged run/,
    );
    expect(Array.from(await net.a.variable.data())).toEqual([1, 2, 3]);
    net.dispose();
  });

  it('casts F16 and BF16 weights to f32 with a note', async () => {
    const net = new TwoParams();
    const sd = await stateDict(net);
    const notes: string[] = [];
    const file = encodeSafetensors({
      a: { dtype: 'F16', shape: [3], data: Uint16Array.from([0x3c00, 0x4000, 0xc200]) },
      b: { dtype: 'BF16', shape: sd.b.shape, data: Uint16Array.from([0x3f80, 0x4000, 0x4040, 0x4080]) },
    });
    loadWeights(net, file, 'half.safetensors', { onNote: (n) => notes.push(n) });
    expect(Array.from(await net.a.variable.data())).toEqual([1, 2, -3]);
    expect(Array.from(await net.b.variable.data())).toEqual([1, 3, 2, 4]);
    expect(notes).toEqual(["half.safetensors: 2 F16/BF16 tensors cast to F32 on load (as PyTorch's load_state_dict does)"]);
    const infHalf = encodeSafetensors({ ...sd, a: { dtype: 'F16', shape: [3], data: Uint16Array.from([0x3c00, 0x7c00, 0]) } });
    expect(() => loadWeights(net, infHalf, 'h.safetensors')).toThrow(/h\.safetensors: tensor a holds NaN/);
    net.dispose();
  });
});
