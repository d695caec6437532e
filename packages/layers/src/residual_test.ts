import * as tf from '@tensorflow/tfjs-core';
import { Rng, stateDict } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convParams, cpu, gradCheck, outSize, randomTensor } from '../test/helpers.js';
import { Residual } from './residual.js';
import { resnetBlock } from './resnet_block.js';

beforeAll(cpu);

describe('Residual and resnetBlock', () => {
  it("has d2l's children and keys; keeps the shape without 1×1 conv", () => {
    const r = new Residual(3, 3);
    expect(r.namedChildren().map(([n]) => n)).toEqual(['conv1', 'conv2', 'bn1', 'bn2']);
    expect(r.numParams()).toBe(2 * convParams(3, 3, 3) + 2 * (2 * 3));
    const x = randomTensor([4, 6, 6, 3]);
    const y = r.forward(x);
    expect(y.shape).toEqual([4, 6, 6, 3]);
    tf.dispose([x, y]);
    r.dispose();
  });

  it('halves the size and changes channels with use1x1conv and stride 2', async () => {
    const r = new Residual(3, 6, true, 2);
    expect(Object.keys(await stateDict(r))).toEqual([
      'conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias', 'conv3.weight', 'conv3.bias',
      'bn1.weight', 'bn1.bias', 'bn2.weight', 'bn2.bias',
      'bn1.running_mean', 'bn1.running_var', 'bn1.num_batches_tracked',
      'bn2.running_mean', 'bn2.running_var', 'bn2.num_batches_tracked',
    ]);
    expect(r.outputShape([4, 3, 6, 6])).toEqual([4, 6, outSize(6, 3, 2, 1), outSize(6, 3, 2, 1)]);
    expect(() => new Residual(3, 6).outputShape([1, 3, 6, 6])).toThrow(/use1x1conv/);
    r.dispose();
  });

  it('resnetBlock follows d2l (first block keeps the shape)', () => {
    const b1 = resnetBlock(4, 4, 2, true);
    const b2 = resnetBlock(4, 8, 2);
    expect(b1.outputShape([1, 4, 8, 8])).toEqual([1, 4, 8, 8]);
    expect(b2.outputShape([1, 4, 8, 8])).toEqual([1, 8, 4, 4]);
    expect((b2.at(0) as Residual).conv3).not.toBeNull();
    expect(() => resnetBlock(4, 8, 2, true)).toThrow(/must equal/);
    b1.dispose();
    b2.dispose();
  });

  it('passes a gradient check in eval mode', () => {
    const r = new Residual(2, 3, true, 2, { rng: new Rng(1) }).eval();
    for (const row of gradCheck(r, [2, 4, 4, 2])) expect(row.relErr, row.name).toBeLessThan(1e-2);
    r.dispose();
  });
});
