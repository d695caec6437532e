import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';
import { maxRelErr } from '../../test/max_rel_err.js';
import { stockCpu } from '../../test/stock_cpu.js';
import { stockKernel } from '../training_kernels.js';

// Gradients are compared with tfjs cpu's in training_kernels_test; these are the forward kernels.
interface Case { n: number; h: number; w: number; c: number; o: number; k: number; s: number; d: number; pad: 'valid' | 'same' | number }

const CASES: Case[] = [
  { n: 2, h: 9, w: 11, c: 3, o: 5, k: 3, s: 1, d: 1, pad: 1 }, // 5 outputs: a whole tile of 4 and one more
  { n: 1, h: 28, w: 28, c: 1, o: 6, k: 5, s: 1, d: 1, pad: 2 }, // LeNet's first layer
  { n: 3, h: 10, w: 10, c: 6, o: 16, k: 5, s: 1, d: 1, pad: 'valid' },
  { n: 2, h: 23, w: 19, c: 2, o: 7, k: 11, s: 4, d: 1, pad: 'valid' }, // AlexNet-style stride 4
  { n: 2, h: 12, w: 13, c: 9, o: 3, k: 3, s: 2, d: 1, pad: 'same' },
  { n: 1, h: 14, w: 14, c: 4, o: 8, k: 3, s: 1, d: 2, pad: 'same' }, // dilated
  { n: 5, h: 6, w: 6, c: 17, o: 12, k: 1, s: 1, d: 1, pad: 'valid' }, // 1×1
  { n: 600, h: 3, w: 3, c: 200, o: 4, k: 3, s: 1, d: 1, pad: 1 }, // more pixels than one block of patches
];

const padArg = (pad: Case['pad']) => (typeof pad === 'number' ? [[0, 0], [pad, pad], [pad, pad], [0, 0]] : pad);

function tensors(cs: Case) {
  const x = tf.randomUniform([cs.n, cs.h, cs.w, cs.c], -1, 1, 'float32', 1) as tf.Tensor4D;
  const filter = tf.randomUniform([cs.k, cs.k, cs.c, cs.o], -1, 1, 'float32', 2) as tf.Tensor4D;
  const attrs = { strides: [cs.s, cs.s], pad: padArg(cs.pad), dataFormat: 'NHWC', dilations: [cs.d, cs.d], dimRoundingMode: undefined };
  return { x, filter, attrs };
}

describe('Conv2D and FusedConv2D on cpu as patch products', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('replace tfjs cpu kernels', () => {
    for (const name of ['Conv2D', 'FusedConv2D']) expect(tf.getKernel(name, 'cpu')?.kernelFunc).not.toBe(stockKernel(name, 'cpu'));
  });

  it.each(CASES)('Conv2D agrees with tfjs cpu within 1e-5 relative: %o', (cs) => {
    const { x, filter, attrs } = tensors(cs);
    const before = tf.memory().numTensors;
    const got = tf.engine().runKernel('Conv2D', { x, filter }, attrs as never) as tf.Tensor;
    const want = stockCpu('Conv2D', { x, filter }, attrs);
    expect(got.shape).toEqual(want.shape);
    expect(maxRelErr(got.dataSync(), want.values)).toBeLessThan(1e-5);
    got.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, filter]);
  });

  it('the gradients agree with tfjs cpu over many blocks of pixels, with a partial last block', () => {
    for (const cs of [{ ...CASES[7]!, n: 101, c: 40 }, { ...CASES[7]!, n: 103, o: 5, c: 41 }]) {
      const { x, filter, attrs } = tensors(cs);
      const dy = tf.randomUniform([cs.n, cs.h, cs.w, cs.o], -1, 1, 'float32', 4);
      const attrsF = { ...attrs, filterShape: filter.shape };
      const attrsI = { ...attrs, inputShape: x.shape };
      const gF = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrsF as never) as tf.Tensor;
      const gI = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrsI as never) as tf.Tensor;
      expect(maxRelErr(gF.dataSync(), stockCpu('Conv2DBackpropFilter', { x, dy }, attrsF).values), `filter ${cs.n}`).toBeLessThan(1e-5);
      expect(maxRelErr(gI.dataSync(), stockCpu('Conv2DBackpropInput', { dy, filter }, attrsI).values), `input ${cs.n}`).toBeLessThan(1e-5);
      tf.dispose([x, filter, dy, gF, gI]);
    }
  });

  it('FusedConv2D agrees with tfjs cpu for linear, relu and sigmoid, with a bias per channel, one bias or none', () => {
    for (const cs of [CASES[0]!, CASES[3]!]) {
      const { x, filter, attrs } = tensors(cs);
      const biases = [undefined, tf.randomUniform([cs.o], -1, 1, 'float32', 3), tf.tensor1d([0.25])];
      for (const activation of ['linear', 'relu', 'sigmoid']) {
        for (const bias of biases) {
          const inputs: Record<string, tf.Tensor> = bias ? { x, filter, bias } : { x, filter };
          const fusedAttrs = { ...attrs, activation, leakyreluAlpha: 0 };
          const got = tf.engine().runKernel('FusedConv2D', inputs, fusedAttrs as never) as tf.Tensor;
          const want = stockCpu('FusedConv2D', inputs, fusedAttrs);
          expect(maxRelErr(got.dataSync(), want.values), `${activation}, bias ${bias?.shape}`).toBeLessThan(1e-5);
          got.dispose();
        }
      }
      tf.dispose([x, filter, ...biases.filter((b) => b !== undefined)]);
    }
  });

  it("FusedConv2D hands other activations (elu, prelu) to tfjs's kernel", () => {
    const { x, filter, attrs } = tensors(CASES[0]!);
    const alpha = tf.fill([CASES[0]!.o], 0.1);
    for (const [activation, inputs] of [['elu', { x, filter }], ['prelu', { x, filter, preluActivationWeights: alpha }]] as const) {
      const fusedAttrs = { ...attrs, activation, leakyreluAlpha: 0 };
      const got = tf.engine().runKernel('FusedConv2D', inputs, fusedAttrs as never) as tf.Tensor;
      expect(Array.from(got.dataSync())).toEqual(Array.from(stockCpu('FusedConv2D', inputs, fusedAttrs).values));
      got.dispose();
    }
    tf.dispose([x, filter, alpha]);
  });
});
