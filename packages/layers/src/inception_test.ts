import * as tf from '@tensorflow/tfjs-core';
import { Rng, stateDict } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convParams, cpu, gradCheck, randomTensor } from '../test/helpers.js';
import { Inception } from './inception.js';

beforeAll(cpu);

describe('Inception', () => {
  it("has the seed's children, keys and parameter count, and concatenates on channels", async () => {
    const inc = new Inception(192, 64, [96, 128], [16, 32], 32);
    expect(inc.namedChildren().map(([n]) => n)).toEqual(['p1_1', 'p2_1', 'p2_2', 'p3_1', 'p3_2', 'p4_1', 'p4_2']);
    expect(Object.keys(await stateDict(inc))).toEqual(
      ['p1_1', 'p2_1', 'p2_2', 'p3_1', 'p3_2', 'p4_2'].flatMap((n) => [`${n}.weight`, `${n}.bias`]),
    );
    const want =
      convParams(192, 64, 1) + convParams(192, 96, 1) + convParams(96, 128, 3) + convParams(192, 16, 1) + convParams(16, 32, 5) + convParams(192, 32, 1);
    expect(inc.numParams()).toBe(want);
    expect(inc.outputShape([1, 192, 12, 12])).toEqual([1, 64 + 128 + 32 + 32, 12, 12]);
    const x = randomTensor([1, 12, 12, 192]);
    const y = inc.forward(x);
    expect(y.shape).toEqual([1, 12, 12, 256]);
    tf.dispose([x, y]);
    inc.dispose();
  });

  it('puts the paths in order p1, p2, p3, p4 along the channels', () => {
    const inc = new Inception(2, 1, [1, 2], [1, 3], 4);
    const x = randomTensor([1, 3, 3, 2]);
    const y = inc.forward(x);
    const p4 = tf.tidy(() => tf.relu(inc.p4_2.forward(inc.p4_1.forward(x))));
    const tail = tf.tidy(() => tf.slice(y, [0, 0, 0, 6], [1, 3, 3, 4]));
    expect(Array.from(tail.dataSync())).toEqual(Array.from(p4.dataSync()));
    tf.dispose([x, y, p4, tail]);
    inc.dispose();
  });

  it('names the failing path when the channels do not fit', () => {
    const inc = new Inception(8, 1, [1, 2], [1, 3], 4);
    const x = tf.zeros([1, 3, 3, 5]);
    expect(() => inc.forward(x)).toThrow(/^p1_1 \(Conv2d\(8, 1, .*input of shape \[1, 5, 3, 3\]/);
    x.dispose();
    inc.dispose();
  });

  it('passes a central-difference gradient check (every path, incl. the padded max pool)', () => {
    const inc = new Inception(3, 2, [2, 3], [2, 2], 2, { rng: new Rng(4) });
    const rows = gradCheck(inc, [2, 4, 4, 3]);
    expect(rows).toHaveLength(13);
    for (const r of rows) expect(r.relErr, `${r.name}: ${r.analytic} vs ${r.numeric}`).toBeLessThan(1e-2);
    inc.dispose();
  });

  it('forward inside tf.tidy leaves no tensors', () => {
    const inc = new Inception(3, 2, [2, 3], [2, 2], 2);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      inc.forward(tf.ones([1, 5, 5, 3]));
    });
    expect(tf.memory().numTensors).toBe(before);
    inc.dispose();
  });
});
