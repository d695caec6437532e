import { stateDict } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convP, linP, out, wb , wasm } from '../test/helpers.js';
import { googlenet } from './googlenet.js';
import { summary } from './summary.js';

beforeAll(wasm);

type C = [number, number, [number, number], [number, number], number];
const B3: C[] = [[192, 64, [96, 128], [16, 32], 32], [256, 128, [128, 192], [32, 96], 64]];
const B4: C[] = [
  [480, 192, [96, 208], [16, 48], 64], [512, 160, [112, 224], [24, 64], 64], [512, 128, [128, 256], [24, 64], 64],
  [512, 112, [144, 288], [32, 64], 64], [528, 256, [160, 320], [32, 128], 128],
];
const B5: C[] = [[832, 256, [160, 320], [32, 128], 128], [832, 384, [192, 384], [48, 128], 128]];
const incP = ([i, c1, c2, c3, c4]: C) => convP(i, c1, 1) + convP(i, c2[0], 1) + convP(c2[0], c2[1], 3) + convP(i, c3[0], 1) + convP(c3[0], c3[1], 5) + convP(i, c4, 1);
const incOut = ([, c1, c2, c3, c4]: C) => c1 + c2[1] + c3[1] + c4;
const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);

describe('googlenet', () => {
  it("is the seed's GoogLeNet: keys, parameters and every block's shape at 96", async () => {
    const net = googlenet();
    const incKeys = (p: string) => wb(`${p}.p1_1`, `${p}.p2_1`, `${p}.p2_2`, `${p}.p3_1`, `${p}.p3_2`, `${p}.p4_2`);
    expect(Object.keys(await stateDict(net))).toEqual([
      ...wb('0.0', '1.0', '1.1'),
      ...incKeys('2.0'), ...incKeys('2.1'),
      ...[0, 1, 2, 3, 4].flatMap((i) => incKeys(`3.${i}`)),
      ...incKeys('4.0'), ...incKeys('4.1'),
      ...wb('6'),
    ]);
    const b1 = convP(1, 64, 7);
    const b2 = convP(64, 64, 1) + convP(64, 192, 3);
    const b3 = sum(B3.map(incP));
    const b4 = sum(B4.map(incP));
    const b5 = sum(B5.map(incP));
    expect(net.numParams()).toBe(b1 + b2 + b3 + b4 + b5 + linP(incOut(B5[1]), 10));
    // each block's channels chain into the next, as the seed's numbers require
    expect(incOut(B3[1])).toBe(B4[0][0]);
    expect(incOut(B4[4])).toBe(B5[0][0]);
    const pool = (n: number) => out(n, 3, 2, 1);
    const s1 = pool(out(96, 7, 2, 3));
    const s2 = pool(out(s1, 3, 1, 1));
    const s3 = pool(s2);
    const s4 = pool(s3);
    const s = summary(net, { inputSize: 96 });
    expect(s.layers.map((l) => [l.name, l.outputShape, l.params])).toEqual([
      ['0', [1, 64, s1, s1], b1],
      ['1', [1, 192, s2, s2], b2],
      ['2', [1, incOut(B3[1]), s3, s3], b3],
      ['3', [1, incOut(B4[4]), s4, s4], b4],
      ['4', [1, incOut(B5[1]), 1, 1], b5],
      ['5', [1, incOut(B5[1])], 0],
      ['6', [1, 10], linP(1024, 10)],
    ]);
    expect(net.at(1).children().map((m) => m.typeName)).toEqual(['Conv2d', 'Conv2d', 'MaxPool2d']); // no ReLU in b2, as the seed
    net.dispose();
  });
});
