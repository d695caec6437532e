import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';
import { activationBiasGrad } from '@convnets/core';

afterAll(async () => {
  await useBackend('cpu');
});

/** tfjs's formulas for the same gradients. */
function opPath(dy: tf.Tensor, y: tf.Tensor, activation: 'relu' | 'sigmoid'): [tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const g = activation === 'relu' ? tf.mul(dy, tf.step(y)) : tf.mul(dy, tf.mul(y, tf.sub(1, y)));
    return [g, tf.sum(g, [0, 1, 2])];
  });
}

describe.each(['wasm', 'cpu'] as const)('activationBiasGrad on %s', (backend) => {
  it("g has the bits of tfjs's formulas, and the bias gradient their sum, for whole and partial groups of 4 channels", async () => {
    await useBackend(backend);
    for (const activation of ['relu', 'sigmoid'] as const) {
      for (const shape of [[2, 5, 3, 4], [3, 7, 5, 6], [1, 40, 40, 3], [2, 3, 3, 1]]) {
        const dy = tf.randomNormal(shape, 0, 1, 'float32', 1);
        const y = activation === 'relu' ? tf.randomNormal(shape, 0, 1, 'float32', 2) : tf.randomUniform(shape, 0, 1, 'float32', 2);
        const [wantG, wantDb] = opPath(dy, y, activation);
        const before = tf.backend().numDataIds();
        const got = activationBiasGrad(dy, y, activation);
        expect(got, `${activation} ${shape}`).not.toBeNull();
        expect(tf.backend().numDataIds()).toBe(before + 2); // g and db, no scratch left
        expect(Array.from(got!.g.dataSync()), `${activation} g ${shape}`).toEqual(Array.from(wantG.dataSync()));
        const [db, want] = [got!.db.dataSync(), wantDb.dataSync()];
        want.forEach((v, i) => expect(db[i]!, `${activation} db[${i}] ${shape}`).toBeCloseTo(v, 4));
        tf.dispose([dy, y, wantG, wantDb, got!.g, got!.db]);
      }
    }
  });

  it('relu: no gradient where y is 0 or negative, NaN where y is NaN', async () => {
    await useBackend(backend);
    const y = tf.tensor4d([1, 0, -2, NaN, 3, -0, 0.5, NaN, 2], [1, 1, 1, 9]);
    const dy = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 1, 9]);
    const got = activationBiasGrad(dy, y, 'relu')!;
    expect(Array.from(got.g.dataSync())).toEqual([1, 0, 0, NaN, 5, 0, 7, NaN, 9]);
    tf.dispose([y, dy, got.g, got.db]);
  });

  it('declines what it does not compute (the caller takes the op path)', async () => {
    await useBackend(backend);
    const [t, ints, other] = [tf.ones([1, 2, 2, 4]), tf.ones([1, 2, 2, 4], 'int32'), tf.ones([1, 2, 4, 2])];
    expect(activationBiasGrad(ints, ints, 'relu')).toBeNull();
    expect(activationBiasGrad(t, other, 'relu')).toBeNull();
    tf.dispose([t, ints, other]);
  });
});
