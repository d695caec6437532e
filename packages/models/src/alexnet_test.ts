import * as tf from '@tensorflow/tfjs-core';
import { stateDict } from '@convnets/core';
import { LayerInputError } from '@convnets/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { convP, linP, out, wb , wasm } from '../test/helpers.js';
import { alexnet } from './alexnet.js';
import { summary } from './summary.js';

beforeAll(wasm);

// The seed's conv part at side n: conv11/4, pool3/2, conv5 p2, pool3/2, 3×conv3 p1, pool3/2.
function convChain(n: number): number[] {
  const s = [out(n, 11, 4)];
  s.push(out(s[0], 3, 2));
  s.push(out(s[1], 5, 1, 2));
  s.push(out(s[2], 3, 2));
  s.push(out(s[3], 3, 1, 1), out(s[3], 3, 1, 1), out(s[3], 3, 1, 1));
  s.push(out(s[6], 3, 2));
  return s;
}
const convParams = convP(1, 96, 11) + convP(96, 256, 5) + convP(256, 384, 3) + convP(384, 384, 3) + convP(384, 256, 3);

describe('alexnet', () => {
  it("the seed's code (hiddenLayers 1): keys, params, block shapes at 224 and too-small inputs", async () => {
    const net = alexnet({ hiddenLayers: 1 });
    const side = convChain(224).at(-1)!;
    expect(side).toBe(5);
    expect(Object.keys(await stateDict(net))).toEqual(wb('conv.0', 'conv.3', 'conv.6', 'conv.8', 'conv.10', 'fc.0', 'fc.3'));
    expect(net.numParams()).toBe(convParams + linP(256 * side * side, 4096) + linP(4096, 10));
    const s = summary(net, { inputSize: 224 });
    expect(s.layers.map((l) => [l.name, l.outputShape, l.params])).toEqual([
      ['conv', [1, 256, side, side], convParams],
      ['fc', [1, 10], linP(256 * side * side, 4096) + linP(4096, 10)],
    ]);
    // every layer inside conv, as the seed's shapes (shape inference, same checks as forward)
    const c = convChain(224);
    let shape = [1, 1, 224, 224];
    const inner = net.conv.children().map((m) => (shape = (m as unknown as { outputShape(s: number[]): number[] }).outputShape(shape)));
    expect(inner).toEqual([
      [1, 96, c[0], c[0]], [1, 96, c[0], c[0]], [1, 96, c[1], c[1]],
      [1, 256, c[2], c[2]], [1, 256, c[2], c[2]], [1, 256, c[3], c[3]],
      [1, 384, c[4], c[4]], [1, 384, c[4], c[4]], [1, 384, c[5], c[5]], [1, 384, c[5], c[5]],
      [1, 256, c[6], c[6]], [1, 256, c[6], c[6]], [1, 256, c[7], c[7]],
    ]);

    // too small: 32×32 fails in conv.5 with the layer and the shape
    const x = tf.zeros([1, 32, 32, 1]);
    const c32 = convChain(32);
    let err: unknown;
    try {
      net.forward(x);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LayerInputError);
    expect((err as Error).message).toMatch(
      new RegExp(`^conv\\.5 \\(MaxPool2d\\(kernel_size=3, stride=2, .*\\)\\): input of shape \\[1, 256, ${c32[2]}, ${c32[2]}\\] \\(NCHW\\) is too small`),
    );
    // a size the conv part takes but fc was not built for
    const y = tf.zeros([1, 100, 100, 1]);
    expect(() => net.forward(y)).toThrow(/fc was sized for 256×5×5 \(inputSize 224\).*inputSize: 100/);
    tf.dispose([x, y]);
    net.dispose();
  });

  it("the text's AlexNet (default, hiddenLayers 2) adds fc.3 = Linear(4096, 4096); lrn shifts the conv indices", async () => {
    const net = alexnet({ lrn: true, numClasses: 7 });
    expect(Object.keys(await stateDict(net))).toEqual(wb('conv.0', 'conv.4', 'conv.8', 'conv.10', 'conv.12', 'fc.0', 'fc.3', 'fc.6'));
    expect(net.conv.at(2).typeName).toBe('LocalResponseNorm');
    expect(net.conv.at(2).toString()).toBe('LocalResponseNorm(5, alpha=0.0001, beta=0.75, k=2.0)');
    expect(net.numParams()).toBe(convParams + linP(256 * 5 * 5, 4096) + linP(4096, 4096) + linP(4096, 7));
    net.dispose();
  });

  it('sizes fc from inputSize and works at other sizes', () => {
    const side = convChain(96).at(-1)!;
    const net = alexnet({ inputSize: 96, hiddenLayers: 1 });
    expect(net.fc.at(0).numParams()).toBe(linP(256 * side * side, 4096));
    const x = tf.zeros([2, 96, 96, 1]);
    const y = tf.tidy(() => net.eval().forward(x));
    expect(y.shape).toEqual([2, 10]);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('cannot be built for 32×32 inputs: the error names the layer and the shape', () => {
    expect(() => alexnet({ inputSize: 32 })).toThrow(/^conv\.5 \(MaxPool2d.*\[1, 256, 2, 2\]/);
  });
});
