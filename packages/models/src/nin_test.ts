import { stateDict } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convP, out, wb , wasm } from '../test/helpers.js';
import { nin } from './nin.js';
import { summary } from './summary.js';

beforeAll(wasm);

describe('nin', () => {
  it("is the seed's NiN: keys, parameters and every child's shape at 224", async () => {
    const net = nin();
    const blocks = ['0', '2', '4', '7'];
    expect(Object.keys(await stateDict(net))).toEqual(blocks.flatMap((b) => wb(`${b}.0`, `${b}.2`, `${b}.4`)));
    const block = (i: number, o: number, k: number) => convP(i, o, k) + 2 * convP(o, o, 1);
    expect(net.numParams()).toBe(block(1, 96, 11) + block(96, 256, 5) + block(256, 384, 3) + block(384, 10, 3));
    const s0 = out(224, 11, 4);
    const s1 = out(s0, 3, 2);
    const s2 = out(s1, 5, 1, 2);
    const s3 = out(s2, 3, 2);
    const s4 = out(s3, 3, 1, 1);
    const s5 = out(s4, 3, 2);
    const s7 = out(s5, 3, 1, 1);
    const s = summary(net, { inputSize: 224 });
    expect(s.layers.map((l) => [l.name, l.type, l.outputShape])).toEqual([
      ['0', 'Sequential', [1, 96, s0, s0]], ['1', 'MaxPool2d', [1, 96, s1, s1]],
      ['2', 'Sequential', [1, 256, s2, s2]], ['3', 'MaxPool2d', [1, 256, s3, s3]],
      ['4', 'Sequential', [1, 384, s4, s4]], ['5', 'MaxPool2d', [1, 384, s5, s5]],
      ['6', 'Dropout', [1, 384, s5, s5]], ['7', 'Sequential', [1, 10, s7, s7]],
      ['8', 'GlobalAvgPool2d', [1, 10, 1, 1]], ['9', 'Flatten', [1, 10]],
    ]);
    net.dispose();
  });
});
