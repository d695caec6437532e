import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStockBackend } from '../test/stock_backend.js';
import { Buffer, Module } from './module.js';
import { Parameter } from './parameter.js';
import { encodeSafetensors, type TensorEntry } from './safetensors.js';
import { loadStateDict, StateDictError, stateDict } from './state_dict.js';
import { loadWeights, saveWeights, stateTensors } from './weights.js';

class ConvNet extends Module {
  readonly weight = this.registerParameter('weight', new Parameter(tf.tensor4d(Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i), [2, 3, 4, 5]), 'conv2d'));
  readonly fc = this.registerParameter('fc_weight', new Parameter(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), 'linear'));
  readonly steps = this.registerBuffer('num_batches_tracked', new Buffer(tf.scalar(7, 'int32'), 'I64'));
  forward(x: tf.Tensor): tf.Tensor {
    return x;
  }
}

beforeAll(async () => {
  await useStockBackend('cpu');
});

describe('state_dict', () => {
  it("uses PyTorch's layouts: conv [out, in, kh, kw], linear [out, in], int64 counters", async () => {
    const net = new ConvNet();
    const sd = await stateDict(net);
    expect(sd.weight.shape).toEqual([5, 4, 2, 3]);
    // tfjs [kh, kw, in, out] element (kh=1, kw=2, in=3, out=4) is torch [4, 3, 1, 2].
    const tfjsIndex = ((1 * 3 + 2) * 4 + 3) * 5 + 4;
    const torchIndex = ((4 * 4 + 3) * 2 + 1) * 3 + 2;
    expect(sd.weight.data[torchIndex]).toBe(tfjsIndex);
    expect(sd.fc_weight.shape).toEqual([2, 3]);
    expect(Array.from(sd.fc_weight.data as Float32Array)).toEqual([1, 3, 5, 2, 4, 6]);
    expect(sd.num_batches_tracked).toMatchObject({ dtype: 'I64', shape: [] });
    net.dispose();
  });

  it('holds every parameter and buffer, and saves the same bytes twice', async () => {
    const net = new ConvNet();
    expect(stateTensors(net)).toHaveLength(3);
    expect(Object.keys(await stateDict(net))).toEqual(['weight', 'fc_weight', 'num_batches_tracked']);
    expect(Array.from(await saveWeights(net, { m: 'x' }))).toEqual(Array.from(await saveWeights(net, { m: 'x' })));
    net.dispose();
  });

  it('round-trips through safetensors bytes', async () => {
    const a = new ConvNet();
    const bytes = await saveWeights(a);
    const b = new ConvNet();
    b.weight.assign(tf.zerosLike(b.weight.variable));
    b.steps.assign(tf.scalar(0, 'int32'));
    expect(loadWeights(b, bytes)).toMatchObject({ format: 'pt' });
    expect(Array.from(b.weight.variable.dataSync())).toEqual(Array.from(a.weight.variable.dataSync()));
    expect(b.steps.variable.dataSync()[0]).toBe(7);
    a.dispose();
    b.dispose();
  });

  it('lists every missing, unexpected and mis-shaped tensor in one error, and assigns nothing', async () => {
    const net = new ConvNet();
    const sd = await stateDict(net);
    const bad: Record<string, TensorEntry> = {
      weight: { dtype: 'F32', shape: [5, 4, 3, 3], data: new Float32Array(180) },
      extra: { dtype: 'F32', shape: [1], data: new Float32Array(1) },
      num_batches_tracked: sd.num_batches_tracked,
    };
    let err: unknown;
    try {
      loadStateDict(net, bad, 'x.safetensors');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateDictError);
    const e = err as StateDictError;
    expect(e.missing).toEqual(['fc_weight']);
    expect(e.unexpected).toEqual(['extra']);
    expect(e.mismatched).toEqual(['weight has shape [5, 4, 3, 3], expected [5, 4, 2, 3]']);
    expect(e.message).toMatch(/^x\.safetensors does not fit this network/);
    expect(net.weight.variable.dataSync()[1]).toBe(1);
    net.dispose();
  });

  it('refuses a float tensor given as int and vice versa', async () => {
    const net = new ConvNet();
    const sd = await stateDict(net);
    const bytes = encodeSafetensors({ ...sd, weight: { dtype: 'I32', shape: sd.weight.shape, data: new Int32Array(120) } });
    expect(() => loadWeights(net, bytes, 'w.safetensors')).toThrow(/weight has dtype I32, expected F32/);
    net.dispose();
  });
});
