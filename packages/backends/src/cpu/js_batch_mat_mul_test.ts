import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';
import { maxRelErr } from '../../test/max_rel_err.js';
import { stockCpu } from '../../test/stock_cpu.js';
import { stockKernel } from '../training_kernels.js';

const SHAPES: { a: number[]; b: number[] }[] = [
  { a: [1, 5, 7], b: [1, 7, 6] }, // no dimension a multiple of 4
  { a: [3, 8, 12], b: [3, 12, 16] }, // whole tiles, batched
  { a: [2, 9, 4], b: [1, 4, 5] }, // b broadcast over the batch
  { a: [1, 33, 70], b: [2, 70, 3] }, // a broadcast
  { a: [1, 256, 400], b: [1, 400, 120] }, // LeNet's first dense layer
];

function operands(shape: { a: number[]; b: number[] }, transposeA: boolean, transposeB: boolean) {
  const swap = (s: number[]) => [...s.slice(0, -2), s.at(-1)!, s.at(-2)!];
  return {
    a: tf.randomUniform(transposeA ? swap(shape.a) : shape.a, -1, 1, 'float32', 1),
    b: tf.randomUniform(transposeB ? swap(shape.b) : shape.b, -1, 1, 'float32', 2),
  };
}

describe('BatchMatMul and _FusedMatMul on cpu in tiles', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('replace tfjs cpu kernels', () => {
    for (const name of ['BatchMatMul', '_FusedMatMul']) expect(tf.getKernel(name, 'cpu')?.kernelFunc).not.toBe(stockKernel(name, 'cpu'));
  });

  it('BatchMatMul agrees with tfjs cpu within 1e-5 relative, for every transpose, broadcast and odd size', () => {
    for (const shape of SHAPES) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const { a, b } = operands(shape, transposeA, transposeB);
          const before = tf.memory().numTensors;
          const got = tf.engine().runKernel('BatchMatMul', { a, b }, { transposeA, transposeB } as never) as tf.Tensor;
          const want = stockCpu('BatchMatMul', { a, b }, { transposeA, transposeB });
          const label = `${JSON.stringify(shape)} ${transposeA} ${transposeB}`;
          expect(got.shape, label).toEqual(want.shape);
          expect(maxRelErr(got.dataSync(), want.values), label).toBeLessThan(1e-5);
          got.dispose();
          expect(tf.memory().numTensors).toBe(before);
          tf.dispose([a, b]);
        }
      }
    }
  });

  it('_FusedMatMul agrees for linear, relu and sigmoid with a bias of N values, one value or none', () => {
    const { a, b } = operands(SHAPES[0]!, false, true);
    const biases = [undefined, tf.randomUniform([6], -1, 1, 'float32', 3), tf.tensor1d([0.5])];
    for (const activation of ['linear', 'relu', 'sigmoid']) {
      for (const bias of biases) {
        const inputs: Record<string, tf.Tensor> = bias ? { a, b, bias } : { a, b };
        const attrs = { transposeA: false, transposeB: true, activation, leakyreluAlpha: 0 };
        const got = tf.engine().runKernel('_FusedMatMul', inputs, attrs as never) as tf.Tensor;
        expect(maxRelErr(got.dataSync(), stockCpu('_FusedMatMul', inputs, attrs).values), `${activation} ${bias?.shape}`).toBeLessThan(1e-5);
        got.dispose();
      }
    }
    tf.dispose([a, b, ...biases.filter((t) => t !== undefined)]);
  });

  it("hands what it does not compute to tfjs's kernel: elu, and batches that broadcast 2 against 3", () => {
    const { a, b } = operands(SHAPES[0]!, false, false);
    const attrs = { transposeA: false, transposeB: false, activation: 'elu', leakyreluAlpha: 0 };
    const elu = tf.engine().runKernel('_FusedMatMul', { a, b }, attrs as never) as tf.Tensor;
    expect(Array.from(elu.dataSync())).toEqual(Array.from(stockCpu('_FusedMatMul', { a, b }, attrs).values));
    const [a2, b3] = [tf.ones([2, 2, 3]), tf.ones([3, 3, 2])];
    expect(() => tf.engine().runKernel('BatchMatMul', { a: a2, b: b3 }, { transposeA: false, transposeB: false } as never)).toThrow();
    tf.dispose([a, b, elu, a2, b3]);
  });
});
