import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import { describeEachWasmSimdBuild } from '../../test/each_wasm_simd_build.js';
import { maxRelErr } from '../../test/max_rel_err.js';
import { useBackend } from '../index.js';
import { nhwcConv2DInfo } from '../shared/conv2d_info.js';
import { convGemm } from './conv_gemm.js';
import { convNarrow } from './conv_narrow.js';
import { filterGradGemm } from './filter_grad_gemm.js';
import { filterGradSingleChannel } from './filter_grad_single_channel.js';

afterAll(async () => {
  await useBackend('cpu');
});

interface Case { why: string; n: number; h: number; c: number; o: number; k: number; s: number; pad: number }

const CASES: Case[] = [
  { why: "LeNet's first layer (convNarrow forward, the single-channel filter-gradient loop)", n: 16, h: 28, c: 1, o: 6, k: 5, s: 1, pad: 2 },
  { why: "an AlexNet-like middle layer, 5×5 over 32 channels (partial panels)", n: 8, h: 13, c: 32, o: 36, k: 5, s: 1, pad: 2 },
  { why: 'a 3×3 layer large enough for helper threads', n: 4, h: 32, c: 32, o: 64, k: 3, s: 1, pad: 1 },
];

async function random(shape: number[], seed: number): Promise<Float32Array> {
  const t = tf.randomUniform(shape, -1, 1, 'float32', seed);
  const values = (await t.data()) as Float32Array;
  t.dispose();
  return values;
}

/** The forward pass (conv + bias + ReLU) and the filter gradient, by the current backend's registered kernels. */
async function forwardAndFilterGrad(cs: Case, data: { x: Float32Array; w: Float32Array; b: Float32Array; dy: Float32Array }, dyShape: number[]) {
  const pad = [[0, 0], [cs.pad, cs.pad], [cs.pad, cs.pad], [0, 0]];
  const x = tf.tensor4d(data.x, [cs.n, cs.h, cs.h, cs.c]);
  const filter = tf.tensor4d(data.w, [cs.k, cs.k, cs.c, cs.o]);
  const bias = tf.tensor1d(data.b);
  const dy = tf.tensor4d(data.dy, dyShape as [number, number, number, number]);
  const y = tf.fused.conv2d({ x, filter, strides: cs.s, pad: pad as never, bias, activation: 'relu' });
  const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: cs.s, pad, dataFormat: 'NHWC', filterShape: filter.shape } as never) as tf.Tensor;
  const out = { y: (await y.data()) as Float32Array, dw: (await dw.data()) as Float32Array };
  tf.dispose([x, filter, bias, dy, y, dw]);
  return out;
}

describeEachWasmSimdBuild((build) => {
  it.each(CASES)(`$why: the forward pass and the filter gradient within 1e-4 of the cpu kernels, by the hand-written kernels`, async (cs) => {
    const info = nhwcConv2DInfo([cs.n, cs.h, cs.h, cs.c], [cs.k, cs.k, cs.c, cs.o], { strides: cs.s, pad: [[0, 0], [cs.pad, cs.pad], [cs.pad, cs.pad], [0, 0]] as never, dimRoundingMode: undefined });
    const dyShape = [cs.n, info.outHeight, info.outWidth, cs.o];
    const data = { x: await random([cs.n, cs.h, cs.h, cs.c], 1), w: await random([cs.k, cs.k, cs.c, cs.o], 2), b: await random([cs.o], 3), dy: await random(dyShape, 4) };

    await useBackend('cpu');
    const want = await forwardAndFilterGrad(cs, data, dyShape);
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const got = await forwardAndFilterGrad(cs, data, dyShape);
    expect(tf.memory().numTensors).toBe(before);
    expect(maxRelErr(got.y, want.y)).toBeLessThanOrEqual(1e-4);
    expect(maxRelErr(got.dw, want.dw)).toBeLessThanOrEqual(1e-4);

    // …and the hand-written kernels took these shapes, in this build, rather than XNNPACK.
    const x = tf.tensor4d(data.x, [cs.n, cs.h, cs.h, cs.c]);
    const filter = tf.tensor4d(data.w, [cs.k, cs.k, cs.c, cs.o]);
    const dy = tf.tensor4d(data.dy, dyShape as [number, number, number, number]);
    const backend = tf.backend();
    const fwd = cs.c === 1 ? convNarrow(backend, x, filter, undefined, false, info) : convGemm(backend, x, filter, undefined, 'linear', info);
    const grad = (cs.c === 1 ? filterGradSingleChannel : filterGradGemm)(backend, x, dy, info);
    expect(grad, `${build}: the filter gradient kernel declined`).not.toBeNull();
    expect(fwd, `${build}: the forward kernel declined`).not.toBeNull();
    tf.dispose([x, filter, dy]);
    for (const info2 of [fwd, grad]) if (info2) backend.disposeData(info2.dataId);
  });
});
