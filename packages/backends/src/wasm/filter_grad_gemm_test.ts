import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEachWasmSimdBuild } from '../../test/each_wasm_simd_build.js';
import { useBackend } from '../index.js';
import { expectFilterGradKernel, filterGradInputs as inputs, type FilterGradCase as Case } from '../../test/filter_grad_reference.js';
import { filterGradGemm } from './filter_grad_gemm.js';

afterAll(async () => {
  await useBackend('cpu');
});

// Every case is one filterGradGemmPays takes.
const CASES: Case[] = [
  { why: 'one input channel (lane by lane), 5×5, over 4096 rows (two float64 folds)', n: 4, h: 40, w: 36, c: 1, o: 9, k: 5, s: 1, pad: 2 },
  { why: "AlexNet's first layer: 11×11, stride 4", n: 8, h: 67, w: 67, c: 1, o: 12, k: 11, s: 4, pad: 1 },
  { why: 'channels a multiple of 8 (whole panels), stride 2, same padding', n: 8, h: 33, w: 31, c: 16, o: 13, k: 3, s: 2, pad: 'same' },
  { why: '6 channels (panels straddle pixels), valid', n: 3, h: 20, w: 22, c: 6, o: 35, k: 3, s: 1, pad: 'valid' },
  { why: "LeNet's second layer, 6 → 16", n: 16, h: 14, w: 14, c: 6, o: 16, k: 5, s: 1, pad: 'valid' },
  { why: 'RGB input, 8 output channels', n: 2, h: 30, w: 30, c: 3, o: 8, k: 3, s: 1, pad: 1 },
  { why: '1×1 (a plain Xᵀ·dY), 22 output channels (a last panel of 2)', n: 2, h: 30, w: 30, c: 24, o: 22, k: 1, s: 1, pad: 'valid' },
  { why: 'large enough for helper threads', n: 2, h: 32, w: 32, c: 16, o: 64, k: 3, s: 1, pad: 1 },
];

describe('filterGradGemm (wasm): the filter gradient as one patches·dy product', () => {
  describeEachWasmSimdBuild(() => {
    it.each(CASES)('$why: within 1e-5 of a float64 sum, no buffer left behind, and it is what wasm runs', async (cs) => {
      await expectFilterGradKernel(filterGradGemm, cs);
    });
  });

  it('declines where the forward-convolution route is as fast, and off wasm', async () => {
    await useBackend('wasm');
    const few = inputs({ why: '', n: 1, h: 20, w: 20, c: 8, o: 16, k: 3, s: 1, pad: 1 }); // 400 rows
    const narrow = inputs({ why: '', n: 4, h: 28, w: 28, c: 1, o: 6, k: 5, s: 1, pad: 2 }); // LeNet's first layer
    const laneByLane = inputs({ why: '', n: 128, h: 14, w: 14, c: 6, o: 12, k: 5, s: 1, pad: 'valid' }); // 6 channels lane by lane, too few outputs
    for (const t of [few, narrow, laneByLane]) {
      expect(filterGradGemm(tf.backend(), t.x, t.dy, t.info)).toBeNull();
      tf.dispose([t.x, t.dy]);
    }
    await useBackend('cpu');
    const big = inputs(CASES[2]!);
    expect(filterGradGemm(tf.backend(), big.x, big.dy, big.info)).toBeNull();
    tf.dispose([big.x, big.dy]);
  });
});
