import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convParams, cpu, gradCheck, outSize, randomTensor } from '../test/helpers.js';
import { vggBlock } from './vgg_block.js';

beforeAll(cpu);

describe('vggBlock', () => {
  it("is the seed's vgg_block: (conv3×3 pad1, ReLU)×n, MaxPool2d(2, 2)", () => {
    const b = vggBlock(2, 3, 8);
    expect(b.namedChildren().map(([n, m]) => `${n}:${m.typeName}`)).toEqual(['0:Conv2d', '1:ReLU', '2:Conv2d', '3:ReLU', '4:MaxPool2d']);
    expect(b.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(b.numParams()).toBe(convParams(3, 8, 3) + convParams(8, 8, 3));
    const x = randomTensor([1, 9, 9, 3]);
    const y = b.forward(x);
    const side = outSize(outSize(outSize(9, 3, 1, 1), 3, 1, 1), 2, 2);
    expect(y.shape).toEqual([1, side, side, 8]);
    tf.dispose([x, y]);
    b.dispose();
  });

  it('passes a central-difference gradient check', () => {
    const b = vggBlock(2, 2, 3, { rng: new Rng(5) });
    const rows = gradCheck(b, [2, 4, 4, 2]);
    expect(rows.map((r) => r.name)).toEqual(['input', '0.weight', '0.bias', '2.weight', '2.bias']);
    for (const r of rows) expect(r.relErr, `${r.name}: ${r.analytic} vs ${r.numeric}`).toBeLessThan(1e-2);
    b.dispose();
  });
});
