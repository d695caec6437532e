import * as tf from '@tensorflow/tfjs-core';
import { stateDict } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bnP, convP, linP, out, wasm, wb } from '../test/helpers.js';
import { resnet18 } from './resnet.js';
import { summary } from './summary.js';

beforeAll(wasm);

const residualP = (i: number, o: number, use1x1: boolean) => convP(i, o, 3) + convP(o, o, 3) + (use1x1 ? convP(i, o, 1) : 0) + 2 * bnP(o);

describe('resnet18', () => {
  it("follows d2l: names, keys, parameters and every child's shape at 96", async () => {
    const net = resnet18();
    expect(net.namedChildren().map(([n]) => n)).toEqual(['0', '1', '2', '3', 'resnet_block1', 'resnet_block2', 'resnet_block3', 'resnet_block4', 'global_avg_pool', 'fc']);
    const sd = Object.keys(await stateDict(net));
    expect(sd.filter((k) => k.endsWith('.weight') || k.endsWith('.bias'))).toEqual([
      ...wb('0', '1'),
      ...wb('resnet_block1.0.conv1', 'resnet_block1.0.conv2', 'resnet_block1.0.bn1', 'resnet_block1.0.bn2'),
      ...wb('resnet_block1.1.conv1', 'resnet_block1.1.conv2', 'resnet_block1.1.bn1', 'resnet_block1.1.bn2'),
      ...[2, 3, 4].flatMap((b) => [
        ...wb(`resnet_block${b}.0.conv1`, `resnet_block${b}.0.conv2`, `resnet_block${b}.0.conv3`, `resnet_block${b}.0.bn1`, `resnet_block${b}.0.bn2`),
        ...wb(`resnet_block${b}.1.conv1`, `resnet_block${b}.1.conv2`, `resnet_block${b}.1.bn1`, `resnet_block${b}.1.bn2`),
      ]),
      ...wb('fc.1'),
    ]);
    expect(sd).toContain('resnet_block4.1.bn2.num_batches_tracked');
    expect(sd.filter((k) => k.endsWith('running_mean'))).toHaveLength(1 + 4 * 2 * 2);
    const b1 = convP(1, 64, 7) + bnP(64);
    const blocks = [
      2 * residualP(64, 64, false),
      residualP(64, 128, true) + residualP(128, 128, false),
      residualP(128, 256, true) + residualP(256, 256, false),
      residualP(256, 512, true) + residualP(512, 512, false),
    ];
    expect(net.numParams()).toBe(b1 + blocks.reduce((a, b) => a + b) + linP(512, 10));
    const s0 = out(96, 7, 2, 3);
    const s3 = out(s0, 3, 2, 1);
    const half = (n: number) => out(n, 3, 2, 1);
    const s = summary(net, { inputSize: 96 });
    expect(s.layers.map((l) => [l.name, l.outputShape])).toEqual([
      ['0', [1, 64, s0, s0]], ['1', [1, 64, s0, s0]], ['2', [1, 64, s0, s0]], ['3', [1, 64, s3, s3]],
      ['resnet_block1', [1, 64, s3, s3]],
      ['resnet_block2', [1, 128, half(s3), half(s3)]],
      ['resnet_block3', [1, 256, half(half(s3)), half(half(s3))]],
      ['resnet_block4', [1, 512, half(half(half(s3))), half(half(half(s3)))]],
      ['global_avg_pool', [1, 512, 1, 1]],
      ['fc', [1, 10]],
    ]);
    expect(s.layers.map((l) => l.params)).toEqual([convP(1, 64, 7), bnP(64), 0, 0, ...blocks, 0, linP(512, 10)]);
    net.dispose();
  });

  it('a training forward updates BatchNorm running statistics; eval does not', async () => {
    const net = resnet18();
    const x = tf.randomUniform([2, 32, 32, 1]);
    tf.tidy(() => {
      net.forward(x);
    });
    const bn = (await stateDict(net))['1.num_batches_tracked'];
    expect(Number((bn.data as BigInt64Array)[0])).toBe(1);
    net.eval();
    tf.tidy(() => {
      net.forward(x);
    });
    expect(Number(((await stateDict(net))['1.num_batches_tracked'].data as BigInt64Array)[0])).toBe(1);
    x.dispose();
    net.dispose();
  });
});
