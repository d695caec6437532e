import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSystem } from '@convnets/vitest-config/system';
import { useBackend } from '../index.js';
import { nhwcConv2DInfo } from '../shared/conv2d_info.js';
import { stockKernel } from '../training_kernels.js';
import { maxRelErr } from '../../test/max_rel_err.js';
import { chooseTile, planConvGemm } from './conv_gemm_program.js';

type Shape4 = [number, number, number, number];
type Pad = [[number, number], [number, number], [number, number], [number, number]] | 'same' | 'valid';
/** [name, input NHWC, filter [fh, fw, in, out], stride, pad, dilation]. */
type Case = [string, Shape4, Shape4, number, Pad, number?];

const p = (t: number, b = t, l = t, r = l): Pad => [[0, 0], [t, b], [l, r], [0, 0]];

/**
 * The convolutions of the five networks (batch 1–2; the largest at a reduced height and width,
 * same kernel, channels, stride and padding), and odd ones: strides 1/2/4, uneven padding,
 * dilation, sizes that fill no tile.
 */
const CASES: Case[] = [
  ['LeNet c1 5x5 1->6 pad 2', [2, 28, 28, 1], [5, 5, 1, 6], 1, p(2)],
  ['LeNet c2 5x5 6->16', [2, 14, 14, 6], [5, 5, 6, 16], 1, 'valid'],
  ['AlexNet c1 11x11 s4 1->96 pad 1', [1, 224, 224, 1], [11, 11, 1, 96], 4, p(1)],
  ['AlexNet c2 5x5 96->256 pad 2 (13x13)', [1, 13, 13, 96], [5, 5, 96, 256], 1, p(2)],
  ['AlexNet c3 3x3 256->384 pad 1', [1, 12, 12, 256], [3, 3, 256, 384], 1, p(1)],
  ['AlexNet c5 3x3 384->256 pad 1', [1, 12, 12, 384], [3, 3, 384, 256], 1, p(1)],
  ['VGG-11/8 c1 3x3 1->8 pad 1', [1, 224, 224, 1], [3, 3, 1, 8], 1, p(1)],
  ['VGG-11/8 c2 3x3 8->16 pad 1', [1, 112, 112, 8], [3, 3, 8, 16], 1, p(1)],
  ['VGG-11/8 c3 3x3 16->32 pad 1', [1, 56, 56, 16], [3, 3, 16, 32], 1, p(1)],
  ['VGG-11/8 c6 3x3 64->64 pad 1', [1, 14, 14, 64], [3, 3, 64, 64], 1, p(1)],
  ['NiN 11x11 s4 1->96', [1, 224, 224, 1], [11, 11, 1, 96], 4, 'valid'],
  ['NiN 1x1 96->96', [1, 54, 54, 96], [1, 1, 96, 96], 1, 'valid'],
  ['NiN 3x3 384->10 pad 1', [2, 5, 5, 384], [3, 3, 384, 10], 1, p(1)],
  ['NiN 1x1 10->10', [2, 5, 5, 10], [1, 1, 10, 10], 1, 'valid'],
  ['GoogLeNet b1 7x7 s2 1->64 pad 3', [1, 96, 96, 1], [7, 7, 1, 64], 2, p(3)],
  ['GoogLeNet b2 3x3 64->192 pad 1', [1, 24, 24, 64], [3, 3, 64, 192], 1, p(1)],
  ['GoogLeNet 3a 1x1 192->16', [2, 12, 12, 192], [1, 1, 192, 16], 1, 'valid'],
  ['GoogLeNet 3a 5x5 16->32 pad 2', [2, 12, 12, 16], [5, 5, 16, 32], 1, p(2)],
  ['GoogLeNet 5b 1x1 832->384', [2, 3, 3, 832], [1, 1, 832, 384], 1, 'valid'],
  ['odd: 3x3 s2 pad 1 on 7x5, 3->5', [3, 7, 5, 3], [3, 3, 3, 5], 2, p(1)],
  ['odd: 4x4 s2 same (uneven pad), 5->7', [2, 9, 9, 5], [4, 4, 5, 7], 2, 'same'],
  ['odd: 2x3 pad 0/1/2/0, 2->3', [1, 6, 7, 2], [2, 3, 2, 3], 1, p(0, 1, 2, 0)],
  ['odd: 3x3 dilation 2 pad 2, 4->20', [2, 11, 11, 4], [3, 3, 4, 20], 1, p(2), 2],
  ['odd: 1x1 s2 17->33', [2, 9, 9, 17], [1, 1, 17, 33], 2, 'valid'],
  ['odd: 3x3 pad 1, 13->11 (uneven channel chunks)', [2, 6, 5, 13], [3, 3, 13, 11], 1, p(1)],
];

function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

interface Results {
  forward: Float32Array;
  fused: Float32Array;
  inputGrad: Float32Array | null;
  filterGrad: Float32Array | null;
}

/** The four convolution kernels of a training step on the current backend, read back. */
async function convolutions([, xShape, wShape, s, pad, d = 1]: Case): Promise<Results> {
  const before = tf.memory().numTensors;
  const x = tf.tensor4d(values(size(xShape), size(xShape) + 1), xShape);
  const w = tf.tensor4d(values(size(wShape), size(wShape) + 2), wShape);
  const bias = tf.tensor1d(values(wShape[3], 3));
  const attrs = { strides: [s, s], pad, dataFormat: 'NHWC', dilations: [d, d], dimRoundingMode: undefined };
  const run = (name: string, inputs: tf.NamedTensorMap, extra: object = {}) => tf.engine().runKernel(name, inputs, { ...attrs, ...extra } as never) as tf.Tensor;
  const y = run('Conv2D', { x, filter: w });
  const fused = run('FusedConv2D', { x, filter: w, bias }, { activation: 'relu', leakyreluAlpha: 0 });
  const dy = tf.tensor4d(values(y.size, 7), y.shape as Shape4);
  // tfjs has no dilated convolution gradients (its ops throw on them too).
  const dx = d === 1 ? run('Conv2DBackpropInput', { dy, filter: w }, { inputShape: xShape }) : null;
  const dw = d === 1 ? run('Conv2DBackpropFilter', { x, dy }, { filterShape: wShape }) : null;
  const out: Results = {
    forward: (await y.data()) as Float32Array,
    fused: (await fused.data()) as Float32Array,
    inputGrad: dx ? ((await dx.data()) as Float32Array) : null,
    filterGrad: dw ? ((await dw.data()) as Float32Array) : null,
  };
  tf.dispose([x, w, bias, y, fused, dy, dx, dw].filter((t): t is tf.Tensor => t !== null));
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

const mesa = await requireSystem('mesa', import.meta.url);

describe('chooseTile and planConvGemm', () => {
  it('fit the block to narrow products and split a filter gradient\'s long K', () => {
    expect(chooseTile(50_000, 6)).toEqual({ bm: 128, bn: 8, bk: 16, tm: 4, tn: 4 });
    expect(chooseTile(25, 6)).toEqual({ bm: 32, bn: 8, bk: 16, tm: 4, tn: 4 });
    expect(chooseTile(5832, 96)).toEqual({ bm: 128, bn: 64, bk: 8, tm: 8, tn: 8 });
    const lenetC1 = nhwcConv2DInfo([256, 28, 28, 1], [5, 5, 1, 6], { strides: 1, pad: [[0, 0], [2, 2], [2, 2], [0, 0]], dimRoundingMode: undefined });
    const plan = planConvGemm('filterGrad', lenetC1);
    expect([plan.m, plan.n, plan.k]).toEqual([25, 6, 256 * 28 * 28]);
    expect(plan.splits).toBeGreaterThan(100);
    expect(plan.splits * plan.kPerSplit).toBeGreaterThanOrEqual(plan.k);
    expect((plan.splits - 1) * plan.kPerSplit).toBeLessThan(plan.k);
    expect(planConvGemm('forward', lenetC1).splits).toBe(1);
  });
});

describe('convolutions on webgpu (implicit GEMM and direct WGSL) against the cpu backend', () => {
  beforeAll(async () => {
    if (mesa.ok) await useBackend('webgpu', { allowFallbackAdapter: true });
  }, 300_000);
  afterAll(async () => {
    await useBackend('cpu');
  });

  it.skipIf(!mesa.ok)('are registered for webgpu in place of tfjs-webgpu\'s', () => {
    for (const name of ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']) {
      expect(stockKernel(name, 'webgpu')).toBeDefined();
      expect(tf.getKernel(name, 'webgpu')?.kernelFunc).not.toBe(stockKernel(name, 'webgpu'));
    }
  });

  it.skipIf(!mesa.ok)('agree within 1e-4 relative at every layer shape of the five networks and odd ones, tensors freed', async () => {
    const failures: string[] = [];
    for (const c of CASES) {
      await useBackend('cpu');
      const want = await convolutions(c);
      await useBackend('webgpu', { allowFallbackAdapter: true });
      const got = await convolutions(c);
      for (const k of ['forward', 'fused', 'inputGrad', 'filterGrad'] as const) {
        if (want[k] === null) continue;
        const err = maxRelErr(got[k]!, want[k]!);
        if (!(err <= 1e-4)) failures.push(`${c[0]} ${k}: max relative error ${err}`);
      }
    }
    expect(failures).toEqual([]);
  }, 900_000);

  it.skipIf(!mesa.ok)('run the forward pass of wide layers as an implicit GEMM too (the route without tfjs\'s kernel)', async () => {
    const { conv2DWebgpu, fusedConv2DWebgpu } = await import('./conv_gemm.js');
    const failures: string[] = [];
    for (const c of CASES.filter(([, , w]) => w[3] > 16).slice(0, 8)) {
      const [, xShape, wShape, s, pad, d = 1] = c;
      const x = tf.tensor4d(values(size(xShape), 5), xShape);
      const w = tf.tensor4d(values(size(wShape), 6), wShape);
      const bias = tf.tensor1d(values(wShape[3], 9));
      const attrs = { strides: [s, s], pad, dataFormat: 'NHWC', dilations: [d, d], dimRoundingMode: undefined, activation: 'sigmoid', leakyreluAlpha: 0 };
      const backend = tf.backend();
      const ours = tf.engine().makeTensorFromTensorInfo(conv2DWebgpu()({ inputs: { x, filter: w }, backend, attrs: attrs as never }) as tf.TensorInfo);
      const oursFused = tf.engine().makeTensorFromTensorInfo(fusedConv2DWebgpu()({ inputs: { x, filter: w, bias }, backend, attrs: attrs as never }) as tf.TensorInfo);
      const stock = tf.engine().makeTensorFromTensorInfo(stockKernel('Conv2D', 'webgpu')!({ inputs: { x, filter: w }, backend, attrs: attrs as never }) as tf.TensorInfo);
      const stockFused = tf.tidy(() => tf.sigmoid(tf.add(stock, bias)));
      for (const [what, a, b] of [['Conv2D', ours, stock], ['FusedConv2D sigmoid', oursFused, stockFused]] as const) {
        const err = maxRelErr((await a.data()) as Float32Array, (await b.data()) as Float32Array);
        if (!(err <= 1e-4)) failures.push(`${c[0]} ${what}: max relative error ${err}`);
      }
      tf.dispose([x, w, bias, ours, oursFused, stock, stockFused]);
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
