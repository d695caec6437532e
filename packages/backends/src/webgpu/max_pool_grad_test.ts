import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSystem } from '@convnets/vitest-config/system';
import { useBackend } from '../index.js';
import { stockKernel } from '../training_kernels.js';
import { maxRelErr } from '../../test/max_rel_err.js';

type Pad = [[number, number], [number, number], [number, number], [number, number]];
/** [name, input NHWC, window, stride, symmetric pad]: every max pool of the five networks (batch 2), and odd/edge cases. */
const CASES: [string, [number, number, number, number], number, number, number][] = [
  ['LeNet (max variant) 28->14', [2, 28, 28, 6], 2, 2, 0],
  ['LeNet (max variant) 10->5', [2, 10, 10, 16], 2, 2, 0],
  ['AlexNet/NiN 54->26', [2, 54, 54, 96], 3, 2, 0],
  ['AlexNet 26->12', [2, 26, 26, 256], 3, 2, 0],
  ['AlexNet/NiN 12->5', [2, 12, 12, 384], 3, 2, 0],
  ['VGG-11/8 224->112', [2, 224, 224, 8], 2, 2, 0],
  ['VGG-11/8 112->56', [2, 112, 112, 16], 2, 2, 0],
  ['VGG-11/8 56->28', [2, 56, 56, 32], 2, 2, 0],
  ['VGG-11/8 28->14', [2, 28, 28, 64], 2, 2, 0],
  ['VGG-11/8 14->7', [2, 14, 14, 64], 2, 2, 0],
  ['GoogLeNet b1 48->24', [2, 48, 48, 64], 3, 2, 1],
  ['GoogLeNet b2 24->12', [2, 24, 24, 192], 3, 2, 1],
  ['GoogLeNet inception pool 12x12 s1', [2, 12, 12, 192], 3, 1, 1],
  ['GoogLeNet b3 12->6', [2, 12, 12, 480], 3, 2, 1],
  ['GoogLeNet inception pool 6x6 s1', [2, 6, 6, 528], 3, 1, 1],
  ['GoogLeNet b4 6->3', [2, 6, 6, 832], 3, 2, 1],
  ['odd: 7x5, 3x3 s2 pad 1, 3 channels', [3, 7, 5, 3], 3, 2, 1],
  ['odd: 9x9, 4x4 s4', [1, 9, 9, 5], 4, 4, 0],
  ['odd: 11x11 window s1 pad 5 on 13x13', [1, 13, 13, 2], 11, 1, 5],
  ['odd: 1x1 window s2', [2, 7, 7, 3], 1, 2, 0],
];

/** MaxPoolGrad as registered on the current backend, with values read back. */
async function poolGrad(values: Float32Array, shape: [number, number, number, number], k: number, s: number, p: number): Promise<Float32Array> {
  const before = tf.memory().numTensors;
  const pad: Pad = [[0, 0], [p, p], [p, p], [0, 0]];
  const input = tf.tensor4d(values, shape);
  // The forward output on padded input with -1e30 (explicit pad + 'valid', as the networks do it).
  const output = tf.tidy(() => tf.maxPool(tf.pad(input, pad, -1e30) as tf.Tensor4D, k, s, 'valid'));
  const dy = tf.randomUniform(output.shape, -1, 1, 'float32', 11);
  const dx = tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, { filterSize: k, strides: s, pad } as never) as tf.Tensor;
  const got = (await dx.data()) as Float32Array;
  tf.dispose([input, output, dy, dx]);
  expect(tf.memory().numTensors).toBe(before);
  return got;
}

/** Inputs with ties (values on a coarse grid) and all-negative windows, as ReLU-free pools see. */
function inputValues(shape: [number, number, number, number], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = i % 3 === 0 ? Math.round((s / 2 ** 32) * 8) / 8 - 1 : (s / 2 ** 32) * 2 - 1.5;
  }
  return out;
}

const mesa = await requireSystem('mesa', import.meta.url);

describe('MaxPoolGrad on webgpu (one WGSL dispatch, first maximum)', () => {
  beforeAll(async () => {
    if (mesa.ok) await useBackend('webgpu', { allowFallbackAdapter: true });
  }, 300_000);
  afterAll(async () => {
    await useBackend('cpu');
  });

  it.skipIf(!mesa.ok)('is registered for webgpu in place of tfjs-webgpu\'s', async () => {
    // Imported only now: tfjs-backend-webgpu registers its backend only if navigator.gpu (Dawn's, set by useBackend) exists when it loads.
    const { maxPoolGradWebgpu } = await import('./max_pool_grad.js');
    expect(tf.getKernel('MaxPoolGrad', 'webgpu')?.kernelFunc).toBe(maxPoolGradWebgpu);
    expect(stockKernel('MaxPoolGrad', 'webgpu')).toBeDefined();
  });

  it.skipIf(!mesa.ok)('equals the cpu kernel (first maximum) at every max pool of the five networks and odd shapes', async () => {
    const failures: string[] = [];
    for (const [name, shape, k, s, p] of CASES) {
      const x = inputValues(shape, shape[1] * 31 + k);
      await useBackend('cpu');
      const want = await poolGrad(x, shape, k, s, p);
      await useBackend('webgpu', { allowFallbackAdapter: true });
      const got = await poolGrad(x, shape, k, s, p);
      const err = maxRelErr(got, want);
      if (!(err <= 1e-4)) failures.push(`${name}: max relative error ${err}`);
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it.skipIf(!mesa.ok)('routes a tie to the first maximum of the window, where tfjs-webgpu routes it to the last', async () => {
    // One channel, 2x4 input, 2x2 windows: [5 5 | 1 2] / [5 2 | 3 3].
    const x = new Float32Array([5, 5, 1, 2, 5, 2, 3, 3]);
    const got = Array.from(await poolGrad(x, [1, 2, 4, 1], 2, 2, 0));
    expect(got[0]).not.toBe(0);
    expect(got.filter((v, i) => i !== 0 && i !== 6)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(got[6]).not.toBe(0);
  });
});
