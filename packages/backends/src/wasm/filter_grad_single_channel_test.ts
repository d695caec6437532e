import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEachWasmSimdBuild } from '../../test/each_wasm_simd_build.js';
import { useBackend } from '../index.js';
import { expectFilterGradKernel, filterGradInputs as inputs, type FilterGradCase } from '../../test/filter_grad_reference.js';
import { filterGradSingleChannel } from './filter_grad_single_channel.js';

afterAll(async () => {
  await useBackend('cpu');
});

const CASES: FilterGradCase[] = [
  { why: "LeNet's first layer: 5×5, same padding, 6 channels", n: 16, h: 28, w: 28, c: 1, o: 6, k: 5, s: 1, pad: 2 },
  { why: "VGG's first layer: 3×3, 8 channels, enough work for helper threads", n: 24, h: 64, w: 64, c: 1, o: 8, k: 3, s: 1, pad: 1 },
  { why: 'one output channel, rows of 9 (a tail after 4-pixel steps)', n: 3, h: 9, w: 9, c: 1, o: 1, k: 3, s: 1, pad: 1 },
  { why: 'stride 2 with a width not a multiple of 4, 5 channels', n: 3, h: 13, w: 15, c: 1, o: 5, k: 4, s: 2, pad: 1 },
  { why: 'stride 3, valid, 7 channels, a wider than tall image', n: 5, h: 11, w: 23, c: 1, o: 7, k: 3, s: 3, pad: 'valid' },
  { why: 'same padding (uneven: one more on the right and bottom)', n: 2, h: 10, w: 10, c: 1, o: 4, k: 4, s: 1, pad: 'same' },
];

describe('filterGradSingleChannel (wasm): a first layer\'s filter gradient, 8 channels per SIMD pair', () => {
  describeEachWasmSimdBuild(() => {
    it.each(CASES)('$why: within 1e-5 of a float64 sum, no buffer left behind, and it is what wasm runs', async (cs) => {
      await expectFilterGradKernel(filterGradSingleChannel, cs);
    });
  });

  it('declines more than one input channel, more than 8 output channels, and off wasm', async () => {
    await useBackend('wasm');
    const rgb = inputs({ why: '', n: 2, h: 12, w: 12, c: 3, o: 8, k: 3, s: 1, pad: 1 });
    const wide = inputs({ why: '', n: 2, h: 12, w: 12, c: 1, o: 9, k: 3, s: 1, pad: 1 });
    for (const t of [rgb, wide]) {
      expect(filterGradSingleChannel(tf.backend(), t.x, t.dy, t.info)).toBeNull();
      tf.dispose([t.x, t.dy]);
    }
    await useBackend('cpu');
    const lenet = inputs(CASES[0]!);
    expect(filterGradSingleChannel(tf.backend(), lenet.x, lenet.dy, lenet.info)).toBeNull();
    tf.dispose([lenet.x, lenet.dy]);
  });
});
