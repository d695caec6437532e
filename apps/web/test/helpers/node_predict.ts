/**
 * The reference side of the CLI-weights check, in Node on the cpu backend: the network the
 * weights' metadata names, and its probabilities for a Fashion-MNIST test image.
 */
import '@tensorflow/tfjs-backend-cpu';
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, loadWeights } from '@convnets/core';
import { useBackend } from '@convnets/backends';
import { loadFashionMnist } from '@convnets/data/node';
import { createModel, type ModelName } from '@convnets/models';
import { getPreset, predict } from '@convnets/trainer';

export interface Picked {
  index: number;
  pixels: Uint8Array;
  top1: number;
  probs: number[];
}

/** Of the first 50 test images, the one the network is surest about (so backends agree on top-1). */
export async function pickImage(weightsPath: string): Promise<Picked> {
  await useBackend('cpu');
  const bytes = new Uint8Array(await readFile(weightsPath));
  const { metadata } = decodeSafetensors(bytes, weightsPath);
  const name = (metadata.model ?? 'lenet') as ModelName;
  const preset = (metadata.preset ?? 'quick') as 'quick' | 'seed' | 'book';
  const config = getPreset(name, preset);
  const inputSize = Number(metadata.inputSize) || config.inputSize;
  const model = createModel(name, { ...(config.modelOptions ?? {}), inputSize });
  loadWeights(model, bytes, weightsPath);
  const test = await loadFashionMnist({ split: 'test' });
  const n = 50;
  const x = tf.tidy(() => tf.div(tf.tensor4d(Float32Array.from(test.images.subarray(0, n * 784)), [n, 28, 28, 1]), 255) as tf.Tensor4D);
  const p = predict(model, x);
  const probs = (await p.array()) as number[][];
  tf.dispose([x, p]);
  model.dispose();
  let best = 0;
  let bestMargin = -1;
  probs.forEach((row, i) => {
    const sorted = [...row].sort((a, b) => b - a);
    if (sorted[0] - sorted[1] > bestMargin) {
      bestMargin = sorted[0] - sorted[1];
      best = i;
    }
  });
  const row = probs[best];
  return { index: best, pixels: test.image(best).slice(), top1: row.indexOf(Math.max(...row)), probs: row };
}
