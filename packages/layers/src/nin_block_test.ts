import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convParams, cpu, gradCheck, outSize, randomTensor } from '../test/helpers.js';
import { ninBlock } from './nin_block.js';

beforeAll(cpu);

describe('ninBlock', () => {
  it("is the seed's nin_block: conv(k, s, p), ReLU, (1×1 conv, ReLU)×2", () => {
    const b = ninBlock(1, 96, 11, 4, 0);
    expect(b.namedChildren().map(([n, m]) => `${n}:${m.typeName}`)).toEqual(['0:Conv2d', '1:ReLU', '2:Conv2d', '3:ReLU', '4:Conv2d', '5:ReLU']);
    expect(b.numParams()).toBe(convParams(1, 96, 11) + 2 * convParams(96, 96, 1));
    expect(b.outputShape([1, 1, 224, 224])).toEqual([1, 96, outSize(224, 11, 4), outSize(224, 11, 4)]);
    const x = randomTensor([1, 23, 23, 1]);
    const y = b.forward(x);
    expect(y.shape).toEqual([1, outSize(23, 11, 4), outSize(23, 11, 4), 96]);
    tf.dispose([x, y]);
    b.dispose();
  });

  it('passes a central-difference gradient check', () => {
    const b = ninBlock(2, 3, 3, 2, 1, { rng: new Rng(2) });
    for (const r of gradCheck(b, [2, 5, 5, 2])) expect(r.relErr, `${r.name}: ${r.analytic} vs ${r.numeric}`).toBeLessThan(1e-2);
    b.dispose();
  });
});
