import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '@convnets/vitest-config/system';
import { useStockBackend } from '../test/stock_backend.js';
import './index.js';

beforeAll(async () => {
  await useStockBackend('cpu');
});

describe('gradients registered by importing @convnets/core', () => {
  it('leaves the real tfjs-core in charge when @convnets/core is the first import', async () => {
    // A fresh process: the gradient bundle's private copies must not create the engine.
    const script = [
      "import '@convnets/core';",
      "import '@tensorflow/tfjs-backend-cpu';",
      "import * as tf from '@tensorflow/tfjs-core';",
      "await tf.setBackend('cpu');",
      "const y = tf.mul(tf.scalar(2), tf.scalar(3, 'int32'));",
      "const g = tf.grad((a) => tf.sum(tf.square(a)))(tf.tensor1d([1, 2]));",
      'console.log(JSON.stringify([...y.dataSync(), ...g.dataSync()]));',
    ].join('\n');
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const r = await runCommand(process.execPath, ['--conditions=@convnets/source', '--import', 'tsx', '--input-type=module', '-e', script], { cwd });
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual([6, 2, 4]);
  });

  it('mixes dtypes through the real tfjs-core engine', () => {
    const y = tf.mul(tf.scalar(2), tf.scalar(3, 'int32'));
    expect(y.dataSync()[0]).toBe(6);
    y.dispose();
  });

  it('differentiates conv, pooling, softmax cross-entropy and concat', () => {
    const x = tf.randomUniform([2, 6, 6, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.variable(tf.randomNormal([3, 3, 1, 2], 0, 0.5, 'float32', 2)) as tf.Variable<tf.Rank.R4>;
    const labels = tf.oneHot(tf.tensor1d([1, 3], 'int32'), 4);
    const { value, grads } = tf.variableGrads(() => {
      const h = tf.relu(tf.conv2d(x, w, 1, 'valid'));
      const p = tf.concat([tf.maxPool(h, 2, 2, 'valid'), tf.avgPool(h, 2, 2, 'valid')], 3);
      const logits = tf.slice(tf.reshape(p, [2, -1]), [0, 0], [2, 4]);
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    }, [w]);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    const g = grads[w.name].dataSync();
    expect(g.some((v) => v !== 0)).toBe(true);
    tf.dispose([x, w, labels, value, grads]);
  });
});
