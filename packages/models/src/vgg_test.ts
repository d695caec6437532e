import { stateDict } from '@convnets/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convP, linP, wb , wasm } from '../test/helpers.js';
import { summary } from './summary.js';
import { CONV_ARCH, smallConvArch, vgg, vgg11 } from './vgg.js';

beforeAll(wasm);

/** VGG-11 parameters from the seed's layer formulas, for width ratio r at side n. */
function vggParams(r: number, n: number): number {
  const arch = CONV_ARCH.map(([c, i, o], k) => [c, k === 0 ? 1 : Math.floor(i / r), Math.floor(o / r)]);
  let p = 0;
  for (const [c, i, o] of arch) for (let j = 0; j < c; j++) p += convP(j === 0 ? i : o, o, 3);
  const side = n / 32;
  const hidden = Math.floor(4096 / r);
  return p + linP(Math.floor(512 / r) * side * side, hidden) + linP(hidden, hidden) + linP(hidden, 10);
}

const KEYS = [
  ...wb('vgg_block_1.0', 'vgg_block_2.0', 'vgg_block_3.0', 'vgg_block_3.2', 'vgg_block_4.0', 'vgg_block_4.2', 'vgg_block_5.0', 'vgg_block_5.2'),
  ...wb('fc.1', 'fc.4', 'fc.7'),
];

describe('vgg', () => {
  it('smallConvArch divides the widths as the seed', () => {
    expect(smallConvArch(8)).toEqual([[1, 1, 8], [1, 8, 16], [2, 16, 32], [2, 32, 64], [2, 64, 64]]);
    expect(smallConvArch(1)).toEqual(CONV_ARCH);
  });

  for (const r of [8, 4]) {
    it(`vgg11 ratio ${r}: keys, parameters and every block's shape at 224`, async () => {
      const net = vgg11({ ratio: r });
      expect(Object.keys(await stateDict(net))).toEqual(KEYS);
      expect(net.numParams()).toBe(vggParams(r, 224));
      const s = summary(net, { inputSize: 224 });
      const widths = CONV_ARCH.map(([, , o]) => Math.floor(o / r));
      expect(s.layers.map((l) => [l.name, l.outputShape])).toEqual([
        ...widths.map((w, i) => [`vgg_block_${i + 1}`, [1, w, 224 >> (i + 1), 224 >> (i + 1)]]),
        ['fc', [1, 10]],
      ]);
      net.dispose();
    });
  }

  it('the seed call vgg(small_conv_arch, fc_features // 8, 4096 // 8) is the same network as vgg11({ ratio: 8 })', () => {
    const a = vgg(smallConvArch(8), (512 * 7 * 7) / 8, 4096 / 8);
    const b = vgg11({ ratio: 8 });
    expect(a.toString()).toBe(b.toString());
    expect(a.numParams()).toBe(b.numParams());
    a.dispose();
    b.dispose();
  });

  it('derives fc_features from inputSize and names the layer when it is too small', () => {
    const net = vgg11({ ratio: 8, inputSize: 64, inChannels: 3, numClasses: 4 });
    expect(net.outputShape([1, 3, 64, 64])).toEqual([1, 4]);
    expect(net.numParams()).toBe(vggParams(8, 64) + convP(3, 8, 3) - convP(1, 8, 3) - linP(512, 10) + linP(512, 4));
    net.dispose();
    expect(() => vgg11({ ratio: 8, inputSize: 16 })).toThrow(/^vgg_block_5\.4 \(MaxPool2d\(kernel_size=2.*\): input of shape \[1, 64, 1, 1\]/);
  });
});
