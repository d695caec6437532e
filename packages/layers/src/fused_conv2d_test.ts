import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';
import { afterAll, describe, expect, it } from 'vitest';
import { Conv2d } from './conv2d.js';
import { fusedConv2d, type ConvActivation, type ConvPad } from './fused_conv2d.js';
import { ReLU } from './relu.js';
import { Sequential } from './sequential.js';
import { Sigmoid } from './sigmoid.js';

afterAll(async () => {
  await useBackend('cpu');
});

const PAD1: ConvPad = [[0, 0], [1, 1], [1, 1], [0, 0]];

/** The same function as plain tfjs ops: conv2d, add, relu or sigmoid. */
function unfused(x: tf.Tensor4D, f: tf.Tensor4D, b: tf.Tensor1D | undefined, s: [number, number], pad: ConvPad, act: ConvActivation): tf.Tensor4D {
  const y = tf.conv2d(x, f, s, pad);
  const z = b ? tf.add(y, b) : y;
  return (act === 'relu' ? tf.relu(z) : act === 'sigmoid' ? tf.sigmoid(z) : z) as tf.Tensor4D;
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** Largest difference relative to the largest reference value. */
function relDiff(got: tf.Tensor, want: tf.Tensor): number {
  return maxDiff(got, want) / Math.max(tf.tidy(() => tf.max(tf.abs(want)).dataSync()[0]!), 1e-12);
}

describe('fusedConv2d', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`${backend}: output and gradients (x, filter, bias) equal conv2d + add + relu or sigmoid`, async () => {
      await useBackend(backend);
      // 4 output channels, and 6 (on wasm: one group of 4 and two more, in the activation's gradient).
      const cases = [[1, PAD1, 'relu', true, 4], [2, 'valid', 'linear', true, 4], [2, PAD1, 'relu', false, 6], [1, 'valid', 'linear', false, 4], [1, PAD1, 'sigmoid', true, 6], [2, 'valid', 'sigmoid', false, 4]] as const;
      for (const [s, pad, act, withBias, o] of cases) {
        const before = tf.memory().numTensors;
        const x = tf.randomUniform([2, 7, 7, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
        const f = tf.randomUniform([3, 3, 3, o], -1, 1, 'float32', 2) as tf.Tensor4D;
        const b = withBias ? (tf.randomUniform([o], -1, 1, 'float32', 3) as tf.Tensor1D) : undefined;
        const strides: [number, number] = [s, s];
        // A weighted sum, so every output's gradient differs.
        const loss = (op: typeof unfused) => (xx: tf.Tensor, ff: tf.Tensor, bb?: tf.Tensor) => {
          const y = op(xx as tf.Tensor4D, ff as tf.Tensor4D, bb as tf.Tensor1D | undefined, strides, pad, act);
          return tf.sum(tf.mul(y, tf.reshape(tf.range(1, y.size + 1), y.shape)));
        };
        const inputs = b ? [x, f, b] : [x, f];
        const got = tf.grads(loss(fusedConv2d) as never)(inputs);
        const want = tf.grads(loss(unfused) as never)(inputs);
        const [yg, yw] = [fusedConv2d(x, f, b, strides, pad, act), tf.tidy(() => unfused(x, f, b, strides, pad, act))];
        expect(maxDiff(yg, yw)).toBeLessThan(1e-5);
        got.forEach((g, i) => expect(relDiff(g, want[i]!), `gradient of input ${i}`).toBeLessThan(1e-5));
        tf.dispose([x, f, ...(b ? [b] : []), ...got, ...want, yg, yw]);
        expect(tf.memory().numTensors).toBe(before);
      }
    });
  }

  it("skips the input gradient of a network's first layer, and computes it further up", async () => {
    await useBackend('cpu');
    const first = new Conv2d(1, 4, 3, 1, 1);
    const second = new Conv2d(4, 2, 3, 1, 1);
    const x = tf.randomUniform([2, 6, 6, 1]);
    const vars = [...first.parameters(), ...second.parameters()].map((p) => p.variable);
    const backpropInputs = async () => {
      const info = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(second.forwardRelu(first.forwardRelu(x))), vars);
        tf.dispose([value, ...Object.values(grads)]);
      });
      return info.kernels.filter((k) => k.name === 'Conv2DBackpropInput').length;
    };
    expect(await backpropInputs()).toBe(1); // the second layer's, to reach the first's weights
    tf.dispose(x);
    first.dispose();
    second.dispose();
  });

  it('Sequential runs Conv2d → ReLU and Conv2d → Sigmoid fused, with the same output as running them one by one', async () => {
    await useBackend('cpu');
    const net = new Sequential(new Conv2d(1, 3, 3, 1, 1), new Sigmoid(), new Conv2d(3, 2, 1), new ReLU());
    const x = tf.randomUniform([2, 5, 5, 1], -1, 1);
    const fused = net.forward(x);
    const stepByStep = tf.tidy(() => net.children().reduce((y, m) => m.forward(y), x as tf.Tensor));
    expect(maxDiff(fused, stepByStep)).toBe(0);
    const info = await tf.profile(() => net.forward(x).dispose());
    expect(info.kernels.map((k) => k.name)).toEqual(['FusedConv2D', 'FusedConv2D']);
    tf.dispose([x, fused, stepByStep]);
    net.dispose();
  });

  it('refuses a non-float input with a clear error', async () => {
    await useBackend('wasm');
    const conv = new Conv2d(1, 2, 3);
    const x = tf.zeros([1, 4, 4, 1], 'int32');
    expect(() => conv.forward(x)).toThrow(/must be a float32 tensor, got int32/);
    tf.dispose(x);
    conv.dispose();
  });
});
