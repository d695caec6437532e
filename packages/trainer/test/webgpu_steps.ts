/**
 * The five networks' training steps, small enough for llvmpipe, on whichever backend tfjs runs:
 * webgpu_steps_test.ts compares WebGPU with wasm; the GPU probe (apps/bench/scripts/webgpu-steps.ts)
 * compares a real GPU with cpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import { manualSeed, Rng } from '@convnets/core';
import { createModel, type CreateModelOptions, type ModelName } from '@convnets/models';
import { Adam } from '../src/adam.js';
import { clipGradNorm } from '../src/clip_grad_norm.js';
import { softmaxCrossEntropy } from '../src/loss.js';
import { Sgd } from '../src/sgd.js';

export interface Net {
  title: string;
  name: ModelName;
  options: CreateModelOptions;
  batch: number;
  steps: number;
  lr: number;
  /** The book preset's optimizer and the trainer's other step options, instead of plain Adam. */
  sgd?: { momentum: number; weightDecay: number; labelSmoothing: number; clipGradNorm: number };
}

/**
 * The five networks, small enough for llvmpipe: LeNet as the book trains it, the others at
 * the smallest inputs their layers take, so that every kind of layer (11×11 stride-4 and 1×1
 * convolutions, inception blocks, max pools, dropout, 4096-wide dense layers) trains on webgpu.
 */
export const NETS: Net[] = [
  { title: 'LeNet (avg pooling)', name: 'lenet', options: { pool: 'avg' }, batch: 16, steps: 4, lr: 0.01 },
  { title: 'LeNet (max pooling)', name: 'lenet', options: { pool: 'max' }, batch: 16, steps: 4, lr: 0.01 },
  {
    title: 'LeNet, SGD with momentum and weight decay, label smoothing, gradient clipping',
    name: 'lenet', options: { activation: 'relu', pool: 'max' }, batch: 16, steps: 4, lr: 0.1,
    sgd: { momentum: 0.9, weightDecay: 5e-4, labelSmoothing: 0.1, clipGradNorm: 1 },
  },
  { title: 'AlexNet at 67×67', name: 'alexnet', options: { inputSize: 67 }, batch: 4, steps: 3, lr: 1e-3 },
  { title: 'VGG-11/8 at 32×32', name: 'vgg11', options: { inputSize: 32, widthRatio: 8 }, batch: 4, steps: 3, lr: 1e-3 },
  { title: 'NiN at 71×71', name: 'nin', options: { inputSize: 71 }, batch: 4, steps: 3, lr: 1e-3 },
  { title: 'GoogLeNet at 32×32', name: 'googlenet', options: { inputSize: 32 }, batch: 4, steps: 3, lr: 1e-3 },
];

/** The same batch on every backend: pixels and labels from one seed, made in JavaScript. */
function batch(n: number, size: number): { x: Float32Array; y: Int32Array } {
  let s = 12345;
  const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return { x: Float32Array.from({ length: n * size * size }, next), y: Int32Array.from({ length: n }, (_, i) => (i * 7) % 10) };
}

/**
 * The steps of one network (the trainer's optimizers, loss and clipping) on the current
 * backend; the loss before each step. Dropout draws its masks from the default Rng, seeded the
 * same each time. No tensor is left behind.
 */
export async function losses(net: Net): Promise<number[]> {
  const before = tf.memory().numTensors;
  manualSeed(7);
  const model = createModel(net.name, { rng: new Rng(3), ...net.options });
  const size = net.options.inputSize ?? 28;
  const named = model.namedParameters().map(([n, p]) => ({ name: n, variable: p.variable }));
  const vars = named.map((v) => v.variable);
  const optimizer = net.sgd ? new Sgd(named, net.sgd) : new Adam(named);
  const data = batch(net.batch, size);
  const x = tf.tensor4d(data.x, [net.batch, size, size, 1]);
  const labels = tf.tensor1d(data.y, 'int32');
  const out: number[] = [];
  model.train();
  for (let i = 0; i < net.steps; i++) {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => softmaxCrossEntropy(model.forward(x), labels, net.sgd?.labelSmoothing ?? 0), vars);
      const list = vars.map((v) => grads[v.name]!);
      optimizer.apply(net.sgd ? clipGradNorm(list, net.sgd.clipGradNorm).grads : list, net.lr);
      return value;
    });
    out.push((await loss.data())[0]!);
    loss.dispose();
  }
  optimizer.dispose();
  model.dispose();
  tf.dispose([x, labels]);
  if (tf.memory().numTensors !== before) throw new Error(`${net.title}: ${tf.memory().numTensors - before} tensors left behind`);
  return out;
}
