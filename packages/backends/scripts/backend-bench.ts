/**
 * Backend benchmark: for every backend that starts here, GFLOP/s of a 1024³ matMul and
 * LeNet (relu) training images/s at batch 256 with Adam.
 *
 *   node --conditions=@convnets/source --import tsx packages/backends/scripts/backend-bench.ts [backends] [--stock] [--steps=N]
 *
 * backends: comma-separated (default: tensorflow,webgpu,wasm,cpu). --stock also times the cpu
 * backend with tfjs's own convolution-gradient kernels (and wasm with its own MaxPoolGrad),
 * to show what registerTrainingKernels() changes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, useBackend, type BackendName } from '../src/index.js';
import { stockKernel, registerTrainingKernels, trainingKernelNames } from '../src/training_kernels.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}`));
const backends = (args.find((a) => !a.startsWith('--')) ?? 'tensorflow,webgpu,wasm,cpu').split(',') as BackendName[];
const steps = Number(flag('steps')?.split('=')[1] ?? 0);

async function timeIt(fn: () => Promise<void>, minMs: number, minReps: number, warmUp = true): Promise<number> {
  if (warmUp) await fn(); // shader compiles, XNNPACK operator creation
  let reps = 0;
  const t0 = performance.now();
  while (reps < minReps || performance.now() - t0 < minMs) {
    await fn();
    reps++;
  }
  return (performance.now() - t0) / reps;
}

async function benchMatMul(): Promise<number> {
  const a = tf.randomNormal([1024, 1024]);
  const b = tf.randomNormal([1024, 1024]);
  const ms = await timeIt(async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  }, 1500, 3);
  tf.dispose([a, b]);
  return (2 * 1024 ** 3) / (ms * 1e6);
}

function makeLeNet(): { vars: tf.Variable[]; loss: (x: tf.Tensor4D, y: tf.Tensor2D) => tf.Scalar } {
  const glorot = (shape: number[], fanIn: number, fanOut: number) =>
    tf.variable(tf.randomUniform(shape, -Math.sqrt(6 / (fanIn + fanOut)), Math.sqrt(6 / (fanIn + fanOut)), 'float32', 1));
  const w1 = glorot([5, 5, 1, 6], 25, 150);
  const b1 = tf.variable(tf.zeros([6]));
  const w2 = glorot([5, 5, 6, 16], 150, 400);
  const b2 = tf.variable(tf.zeros([16]));
  const w3 = glorot([400, 120], 400, 120);
  const b3 = tf.variable(tf.zeros([120]));
  const w4 = glorot([120, 84], 120, 84);
  const b4 = tf.variable(tf.zeros([84]));
  const w5 = glorot([84, 10], 84, 10);
  const b5 = tf.variable(tf.zeros([10]));
  const loss = (x: tf.Tensor4D, y: tf.Tensor2D): tf.Scalar => {
    let h: tf.Tensor4D = tf.relu(tf.add(tf.conv2d(x, w1 as tf.Tensor4D, 1, [[0, 0], [2, 2], [2, 2], [0, 0]]), b1) as tf.Tensor4D);
    h = tf.maxPool(h, 2, 2, 'valid');
    h = tf.relu(tf.add(tf.conv2d(h, w2 as tf.Tensor4D, 1, 'valid'), b2) as tf.Tensor4D);
    h = tf.maxPool(h, 2, 2, 'valid');
    let f: tf.Tensor2D = tf.reshape(h, [h.shape[0], 400]);
    f = tf.relu(tf.add(tf.matMul(f, w3), b3) as tf.Tensor2D);
    f = tf.relu(tf.add(tf.matMul(f, w4), b4) as tf.Tensor2D);
    f = tf.add(tf.matMul(f, w5), b5) as tf.Tensor2D;
    return tf.losses.softmaxCrossEntropy(y, f) as tf.Scalar;
  };
  return { vars: [w1, b1, w2, b2, w3, b3, w4, b4, w5, b5], loss };
}

async function benchLeNet(minMs: number, minReps = 3, warmUp = true): Promise<number> {
  const batch = 256;
  const { vars, loss } = makeLeNet();
  const opt = tf.train.adam(1e-3);
  const x = tf.randomUniform([batch, 28, 28, 1]) as tf.Tensor4D;
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10) as tf.Tensor2D;
  const step = async () => {
    const l = opt.minimize(() => loss(x, y), true, vars);
    await l!.data();
    l!.dispose();
  };
  const ms = steps > 0 ? await timeIt(step, 0, steps, warmUp) : await timeIt(step, minMs, minReps, warmUp);
  opt.dispose();
  tf.dispose([x, y, ...vars]);
  return batch / (ms / 1000);
}

/** Swaps registerTrainingKernels' kernels for tfjs's own ones on `backend` while fn runs. */
async function withStockKernels<T>(backend: string, fn: () => Promise<T>): Promise<T> {
  const ours = trainingKernelNames(backend).map((name) => ({ name, config: tf.getKernel(name, backend)! }));
  for (const { name } of ours) {
    tf.unregisterKernel(name, backend);
    const stock = stockKernel(name, backend);
    if (stock) tf.registerKernel({ kernelName: name, backendName: backend, kernelFunc: stock });
  }
  try {
    return await fn();
  } finally {
    for (const { name, config } of ours) {
      if (tf.getKernel(name, backend)) tf.unregisterKernel(name, backend);
      tf.registerKernel(config);
    }
  }
}

const rows: string[] = [];
for (const name of backends) {
  let label: string = name;
  try {
    const info = await useBackend(name);
    registerTrainingKernels();
    if (info.adapter) label += ` (${[info.adapter.vendor, info.adapter.architecture, info.adapter.description].filter(Boolean).join(' ')}${info.adapter.isFallback ? ', software' : ''})`;
    if (info.details) label += ` ${JSON.stringify(info.details)}`;
  } catch (e) {
    if (!(e instanceof BackendUnavailableError)) throw e;
    rows.push(`${name.padEnd(10)} unavailable: ${e.message}`);
    console.log(rows.at(-1));
    continue;
  }
  const gflops = await benchMatMul();
  const imgs = await benchLeNet(name === 'cpu' ? 3000 : 4000);
  rows.push(`${label.padEnd(10)} matMul 1024³ ${gflops.toFixed(1).padStart(7)} GFLOP/s   LeNet train b256 ${imgs.toFixed(0).padStart(6)} img/s`);
  console.log(rows.at(-1));
  if (flag('stock') && name === 'wasm') {
    rows.push(`wasm       with tfjs's own training kernels: cannot train (tfjs-backend-wasm has no Conv2DBackpropFilter)`);
    console.log(rows.at(-1));
  }
  if (flag('stock') && name === 'cpu') {
    const stockImgs = await withStockKernels(name, () => benchLeNet(1, 1, false)).catch((e: Error) => e);
    rows.push(
      stockImgs instanceof Error
        ? `${name.padEnd(10)} with tfjs's own training kernels: cannot train (${stockImgs.message.split('\n')[0]})`
        : `${name.padEnd(10)} with tfjs's own training kernels: LeNet train b256 ${stockImgs.toFixed(1)} img/s`,
    );
    console.log(rows.at(-1));
  }
}
