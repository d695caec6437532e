import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEachWasmSimdBuild } from '../../test/each_wasm_simd_build.js';
import { useBackend } from '../index.js';
import { maxRelErr } from '../../test/max_rel_err.js';
import { nhwcConv2DInfo } from '../shared/conv2d_info.js';
import { convGemm, type ConvGemmActivation } from './conv_gemm.js';
import { stockKernel } from '../training_kernels.js';

afterAll(async () => {
  await useBackend('cpu');
});

interface Case { why: string; n: number; h: number; c: number; o: number; k: number; s: number; pad: 'valid' | 'same' | number; act: ConvGemmActivation; bias: boolean }

// Every case is one convGemmPays takes.
const CASES: Case[] = [
  { why: '5×5, padding 2, partial last panels of pixels (338 rows) and of channels (36)', n: 2, h: 13, c: 32, o: 36, k: 5, s: 1, pad: 2, act: 'relu', bias: true },
  { why: 'a first layer: one channel (lane by lane), 11×11, stride 4', n: 3, h: 47, c: 1, o: 20, k: 11, s: 4, pad: 1, act: 'relu', bias: true },
  { why: '6 channels (lane by lane), 19 outputs (partial panel, scalar tail), stride 2, same', n: 3, h: 21, c: 6, o: 19, k: 3, s: 2, pad: 'same', act: 'linear', bias: true },
  { why: '1×1, no bias, linear', n: 1, h: 20, c: 32, o: 40, k: 1, s: 1, pad: 'valid', act: 'linear', bias: false },
  { why: 'more channels than a chunk (300: one kernel position per chunk)', n: 8, h: 6, c: 300, o: 40, k: 3, s: 1, pad: 1, act: 'relu', bias: true },
  { why: "few pixels (72 rows, GoogLeNet's 3×3 maps at batch 8), still split over two threads", n: 8, h: 3, c: 192, o: 96, k: 3, s: 1, pad: 1, act: 'relu', bias: true },
  { why: 'large enough for helper threads', n: 4, h: 32, c: 32, o: 64, k: 3, s: 1, pad: 1, act: 'relu', bias: true },
];

const padArg = (pad: Case['pad']) => (typeof pad === 'number' ? [[0, 0], [pad, pad], [pad, pad], [0, 0]] : pad);

function inputs(cs: Case) {
  const x = tf.randomUniform([cs.n, cs.h, cs.h, cs.c], -1, 1, 'float32', 1) as tf.Tensor4D;
  const filter = tf.randomUniform([cs.k, cs.k, cs.c, cs.o], -1, 1, 'float32', 2) as tf.Tensor4D;
  const bias = cs.bias ? (tf.randomUniform([cs.o], -1, 1, 'float32', 3) as tf.Tensor1D) : undefined;
  const attrs = { strides: cs.s, pad: padArg(cs.pad), dataFormat: 'NHWC', dilations: 1, dimRoundingMode: undefined, activation: cs.act };
  const info = nhwcConv2DInfo(x.shape, filter.shape, { strides: cs.s, pad: padArg(cs.pad) as never, dimRoundingMode: undefined });
  return { x, filter, bias, attrs, info };
}

describe('convGemm (wasm): the forward convolution as one patches·W product', () => {
  describeEachWasmSimdBuild(() => {
    it.each(CASES)('$why: within 1e-5 of XNNPACK, no buffer left behind, and it is what wasm runs', async (cs) => {
      await useBackend('wasm');
      const { x, filter, bias, attrs, info } = inputs(cs);
      const xnnpack = stockKernel('FusedConv2D', 'wasm')!;
      const want = tf.engine().makeTensorFromTensorInfo(
        xnnpack({ inputs: { x, filter, ...(bias ? { bias } : {}) }, attrs: attrs as never, backend: tf.backend() }) as tf.TensorInfo,
      );
      const backend = tf.backend();
      const before = backend.numDataIds();
      const out = convGemm(backend, x, filter, bias, cs.act, info);
      expect(out).not.toBeNull();
      expect(out!.shape).toEqual(want.shape);
      expect(backend.numDataIds()).toBe(before + 1); // the output; every scratch buffer freed
      const got = tf.engine().makeTensorFromTensorInfo(out!);
      const gotValues = await got.data();
      expect(maxRelErr(gotValues, await want.data())).toBeLessThanOrEqual(1e-5);
      if (cs.act === 'relu') {
        let lowest = Infinity;
        for (const v of gotValues) lowest = Math.min(lowest, v);
        expect(lowest).toBe(0); // clamped, and some were
      }
      const registered = tf.fused.conv2d({ x, filter, strides: cs.s, pad: attrs.pad as never, bias, activation: cs.act });
      expect(Array.from(await registered.data())).toEqual(Array.from(gotValues));
      tf.dispose([x, filter, bias, want, got, registered]);
    });
  });

  it('declines where XNNPACK is as fast, and off wasm', async () => {
    await useBackend('wasm');
    const narrow = inputs({ why: '', n: 4, h: 28, c: 1, o: 6, k: 5, s: 1, pad: 2, act: 'relu', bias: true }); // LeNet's first layer
    const thin = inputs({ why: '', n: 4, h: 28, c: 8, o: 16, k: 3, s: 1, pad: 1, act: 'relu', bias: true }); // VGG-11/8's second
    const few = inputs({ why: '', n: 1, h: 7, c: 32, o: 64, k: 3, s: 1, pad: 1, act: 'relu', bias: true }); // 49 pixels
    for (const t of [narrow, thin, few]) {
      expect(convGemm(tf.backend(), t.x, t.filter, t.bias, 'relu', t.info)).toBeNull();
      tf.dispose([t.x, t.filter, t.bias]);
    }
    await useBackend('cpu');
    const big = inputs(CASES[0]!);
    expect(convGemm(tf.backend(), big.x, big.filter, big.bias, 'relu', big.info)).toBeNull();
    tf.dispose([big.x, big.filter, big.bias]);
  });
});
