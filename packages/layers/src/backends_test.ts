import * as tf from '@tensorflow/tfjs-core';
import { loadWeights, Rng, saveWeights } from '@convnets/core';
import { useBackend } from '@convnets/backends';
import { afterAll, describe, expect, it } from 'vitest';
import { randomTensor } from '../test/helpers.js';
import { BatchNorm2d } from './batch_norm2d.js';
import { Conv2d } from './conv2d.js';
import { Flatten } from './flatten.js';
import { GlobalAvgPool2d } from './global_avg_pool2d.js';
import { Inception } from './inception.js';
import { Linear } from './linear.js';
import { LocalResponseNorm } from './local_response_norm.js';
import { AvgPool2d } from './avg_pool2d.js';
import { MaxPool2d } from './max_pool2d.js';
import { ReLU } from './relu.js';
import { Sequential } from './sequential.js';
import { Sigmoid } from './sigmoid.js';
import { ninBlock } from './nin_block.js';
import { vggBlock } from './vgg_block.js';

afterAll(async () => {
  await useBackend('cpu');
});

function net(rng: Rng): Sequential {
  return new Sequential(
    new Conv2d(2, 4, 3, 1, 1, { rng }),
    new BatchNorm2d(4),
    new Sigmoid(),
    new LocalResponseNorm(3, 0.1, 0.75, 2),
    new AvgPool2d(3, 2, 1),
    vggBlock(1, 4, 6, { rng }),
    new Inception(6, 2, [2, 3], [2, 2], 2, { rng }),
    ninBlock(9, 5, 3, 1, 1, { rng }),
    new MaxPool2d(3, 1, 1),
    new ReLU(),
    new GlobalAvgPool2d(),
    new Flatten(),
    new Linear(5, 3, { rng }),
  );
}

describe('cpu and wasm', () => {
  it('give the same forward pass for the same weights', async () => {
    await useBackend('cpu');
    const a = net(new Rng(11)).eval();
    const x = randomTensor([2, 12, 12, 2]);
    const xs = Array.from(x.dataSync());
    const ya = tf.tidy(() => a.forward(x));
    const cpuOut = Array.from(ya.dataSync());
    const bytes = await saveWeights(a);
    tf.dispose([x, ya]);
    a.dispose();

    await useBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const b = net(new Rng(999)).eval(); // different init, then the cpu weights are loaded
    loadWeights(b, bytes);
    const xb = tf.tensor(xs, [2, 12, 12, 2]);
    const before = tf.memory().numTensors;
    const yb = tf.tidy(() => b.forward(xb));
    expect(tf.memory().numTensors).toBe(before + 1);
    const wasmOut = Array.from(yb.dataSync());
    expect(wasmOut).toHaveLength(cpuOut.length);
    wasmOut.forEach((v, i) => expect(v).toBeCloseTo(cpuOut[i], 4));
    tf.dispose([xb, yb]);
    b.dispose();
  });
});
