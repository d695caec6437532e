import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEachWasmSimdBuild } from '../../test/each_wasm_simd_build.js';
import { maxRelErr } from '../../test/max_rel_err.js';
import { useBackend } from '../index.js';
import { nhwcConv2DInfo } from '../shared/conv2d_info.js';
import { stockKernel } from '../training_kernels.js';
import { convNarrow } from './conv_narrow.js';

afterAll(async () => {
  await useBackend('cpu');
});

type Activation = 'linear' | 'relu' | 'sigmoid';
interface Case { why: string; n: number; h: number; w: number; c: number; o: number; k: number; s: number; pad: 'valid' | 'same' | number; act: Activation; bias: boolean }

// Every output-channel count 1–8 (each stores its pixels differently), 1–3 input channels, tails after 4-pixel steps.
const CASES: Case[] = [
  { why: "LeNet's first layer: 5×5, padding 2, 6 channels, sigmoid (then the backend's Sigmoid)", n: 16, h: 28, w: 28, c: 1, o: 6, k: 5, s: 1, pad: 2, act: 'sigmoid', bias: true },
  { why: "VGG's first layer: 3×3, 8 channels, relu, enough work for helper threads", n: 12, h: 64, w: 64, c: 1, o: 8, k: 3, s: 1, pad: 1, act: 'relu', bias: true },
  { why: 'one channel, rows of 9 (a tail after 4-pixel steps), no bias', n: 3, h: 9, w: 9, c: 1, o: 1, k: 3, s: 1, pad: 1, act: 'linear', bias: false },
  { why: 'RGB in, 2 channels out, stride 2, a width not a multiple of 4', n: 3, h: 13, w: 15, c: 3, o: 2, k: 4, s: 2, pad: 1, act: 'relu', bias: true },
  { why: '3 channels out, stride 3, valid, wider than tall', n: 5, h: 11, w: 23, c: 1, o: 3, k: 3, s: 3, pad: 'valid', act: 'linear', bias: true },
  { why: '4 channels out, same padding (one more on the right and bottom)', n: 2, h: 10, w: 10, c: 1, o: 4, k: 4, s: 1, pad: 'same', act: 'relu', bias: true },
  { why: 'RGB in, 5 channels out, 11×11 stride 4 (AlexNet-like)', n: 2, h: 47, w: 47, c: 3, o: 5, k: 11, s: 4, pad: 1, act: 'relu', bias: true },
  { why: '2 channels in, 7 out, 1×1', n: 2, h: 6, w: 7, c: 2, o: 7, k: 1, s: 1, pad: 'valid', act: 'linear', bias: true },
];

const padArg = (pad: Case['pad']) => (typeof pad === 'number' ? ([[0, 0], [pad, pad], [pad, pad], [0, 0]] as unknown as 'valid') : pad);

function inputs(cs: Pick<Case, 'n' | 'h' | 'w' | 'c' | 'o' | 'k' | 's' | 'pad' | 'bias'>) {
  const c = cs.c;
  const x = tf.randomUniform([cs.n, cs.h, cs.w, c], -1, 1, 'float32', 1) as tf.Tensor4D;
  const filter = tf.randomUniform([cs.k, cs.k, c, cs.o], -1, 1, 'float32', 2) as tf.Tensor4D;
  const bias = cs.bias ? (tf.randomUniform([cs.o], -1, 1, 'float32', 3) as tf.Tensor1D) : undefined;
  const info = nhwcConv2DInfo(x.shape, filter.shape, { strides: cs.s, pad: padArg(cs.pad), dimRoundingMode: undefined });
  return { x, filter, bias, info };
}

describe("convNarrow (wasm): a first layer's forward convolution, 8 output channels per SIMD pair", () => {
  describeEachWasmSimdBuild(() => {
    it.each(CASES)('$why: within 1e-5 of XNNPACK, no buffer left behind, and it is what wasm runs', async (cs) => {
      await useBackend('wasm');
      const { x, filter, bias, info } = inputs(cs);
      const attrs = { strides: cs.s, pad: padArg(cs.pad), dataFormat: 'NHWC', dilations: 1, dimRoundingMode: undefined, activation: cs.act };
      const xnnpack = stockKernel('FusedConv2D', 'wasm')!;
      const want = tf.engine().makeTensorFromTensorInfo(
        xnnpack({ inputs: { x, filter, ...(bias ? { bias } : {}) }, attrs: attrs as never, backend: tf.backend() }) as tf.TensorInfo,
      );
      const backend = tf.backend();
      const before = backend.numDataIds();
      const out = convNarrow(backend, x, filter, bias, cs.act === 'relu', info);
      expect(out).not.toBeNull();
      expect(out!.shape).toEqual(want.shape);
      expect(backend.numDataIds()).toBe(before + 1); // the output; the packed weights and images freed
      const got = tf.engine().makeTensorFromTensorInfo(out!);
      const registered = tf.fused.conv2d({ x, filter, strides: cs.s, pad: attrs.pad, bias, activation: cs.act });
      const wantValues = (await want.data()) as Float32Array;
      const registeredValues = (await registered.data()) as Float32Array;
      expect(maxRelErr(registeredValues, wantValues)).toBeLessThanOrEqual(1e-5);
      if (cs.act !== 'sigmoid') {
        expect(maxRelErr(await got.data(), wantValues)).toBeLessThanOrEqual(1e-5);
        expect(Array.from(registeredValues)).toEqual(Array.from(await got.data())); // what wasm runs
      }
      if (cs.act === 'relu') expect(registeredValues.reduce((a, v) => Math.min(a, v), Infinity)).toBe(0); // clamped, and some were
      tf.dispose([x, filter, bias, want, got, registered]);
    });
  });

  it('declines 4 input channels, 9 output channels, and off wasm', async () => {
    await useBackend('wasm');
    const deep = inputs({ n: 2, h: 12, w: 12, c: 4, o: 8, k: 3, s: 1, pad: 1, bias: true });
    const wide = inputs({ n: 2, h: 12, w: 12, c: 1, o: 9, k: 3, s: 1, pad: 1, bias: true });
    for (const t of [deep, wide]) {
      expect(convNarrow(tf.backend(), t.x, t.filter, t.bias, true, t.info)).toBeNull();
      tf.dispose([t.x, t.filter, t.bias]);
    }
    await useBackend('cpu');
    const lenet = inputs(CASES[0]!);
    expect(convNarrow(tf.backend(), lenet.x, lenet.filter, lenet.bias, false, lenet.info)).toBeNull();
    tf.dispose([lenet.x, lenet.filter, lenet.bias]);
  });
});
