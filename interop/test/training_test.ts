/**
 * Training that crosses over, on real Fashion-MNIST (lenet-relu: LeNet with ReLU + max-pool).
 *
 * - Same settings, same learning curve: one shared initial weights file, Adam (torch's betas and
 *   eps 1e-8), lr 1e-3, batch 256, the first 10,000 training images in our data order
 *   (epochOrder(n, seed, epoch), exported as int32 epoch0..2 for `check.py train`), pixels/255,
 *   no augmentation: our per-epoch test accuracy tracks PyTorch's within 0.02 over 3 epochs.
 * - A trained LeNet: trained briefly by our trainer, it gets the same test predictions under
 *   PyTorch (`check.py eval`), under `convnets eval` and under our evaluate(), to the last
 *   example (correct counts, and SHA-256 of the 10,000 uint8 predictions).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors, Rng } from '@convnets/core';
import { useBackend } from '@convnets/backends';
import { saveWeightsFile } from '@convnets/core/node';
import { epochOrder, type FashionMnist } from '@convnets/data';
import { loadFashionMnistSplits } from '@convnets/data/node';
import { createModel } from '@convnets/models';
import { evaluate, train, type EpochMetrics } from '@convnets/trainer';
import { FASHION_MNIST_DIR, range, REPO_ROOT, runCheck, runCheckLines, runProcess, tempDir, titled, TORCH } from './helpers.js';

/** wasm trains LeNet several times faster than cpu here; `convnets eval` below runs on cpu. */
const BACKEND = 'wasm';
const TORCH_MODEL = 'lenet-relu';
const MODEL_OPTIONS = { activation: 'relu', pool: 'max' } as const;
const SEED = 7;
const LIMIT = 10_000;
const EPOCHS = 3;
const BATCH = 256;
const LR = 1e-3;
const CURVE_TOLERANCE = 0.02;

interface TorchEpoch {
  epoch: number;
  loss: number;
  trainAcc: number;
  testAcc: number;
  steps: number;
}

interface TorchEval {
  correct: number;
  total: number;
  accuracy: number;
  predictions_sha256: string;
}

function sha256Uint8(predictions: Int32Array): string {
  return createHash('sha256').update(Uint8Array.from(predictions)).digest('hex');
}

describe.skipIf(!TORCH.ok)(titled(`LeNet trains the same in convnets (${BACKEND}) and in PyTorch`), () => {
  const tmp = tempDir('training');
  let trainSet: FashionMnist;
  let testSet: FashionMnist;

  beforeAll(async () => {
    await useBackend(BACKEND);
    ({ train: trainSet, test: testSet } = await loadFashionMnistSplits({ dataDir: FASHION_MNIST_DIR }));
  });

  afterAll(() => tmp.cleanup());

  it(`same settings, same learning curve: ${EPOCHS} epochs on the first ${LIMIT} images, test accuracy within ${CURVE_TOLERANCE}`, async () => {
    // check.py --limit-train N keeps the first N images; so does this subset (not data's stratified limit).
    const sub = trainSet.subset(range(LIMIT));
    const orders = Array.from({ length: EPOCHS }, (_, e) => epochOrder(sub.length, SEED, e));

    // The trainer's batches visit exactly the exported order (train() calls batches with shuffle, seed, epoch).
    const visited: number[] = [];
    for await (const b of sub.batches({ batchSize: BATCH, shuffle: true, seed: SEED, epoch: 1, prefetch: false })) {
      visited.push(...b.indices);
      tf.dispose([b.x, b.y]);
    }
    expect(Int32Array.from(visited)).toEqual(orders[1]);

    const orderPath = join(tmp.dir, 'order.safetensors');
    writeFileSync(
      orderPath,
      encodeSafetensors(Object.fromEntries(orders.map((o, e) => [`epoch${e}`, { dtype: 'I32' as const, shape: [o.length], data: o }]))),
    );
    const model = createModel('lenet', { ...MODEL_OPTIONS, rng: new Rng(SEED) });
    const init = join(tmp.dir, 'init.safetensors');
    await saveWeightsFile(model, init);

    const torchRun = runCheckLines<TorchEpoch>([
      'train', '--model', TORCH_MODEL, '--weights', init, '--order', orderPath, '--lr', String(LR), '--batch-size', String(BATCH),
      '--epochs', String(EPOCHS), '--optimizer', 'adam', '--limit-train', String(LIMIT), '--data-dir', FASHION_MNIST_DIR,
    ]);
    torchRun.catch(() => undefined);
    let ours: EpochMetrics[];
    try {
      const result = await train(model, { train: sub, test: testSet }, {
        epochs: EPOCHS, batchSize: BATCH, lr: LR, optimizer: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8,
        seed: SEED, augment: false, normalize: false, evalBatchSize: 1000,
      });
      ours = result.history;
    } finally {
      model.dispose();
    }
    const theirs = await torchRun;

    const lines = ours.map((m, i) => {
      const t = theirs[i];
      return `  epoch ${m.epoch}: loss ${m.loss.toFixed(4)} vs ${t.loss.toFixed(4)}, train acc ${m.trainAcc.toFixed(4)} vs ${t.trainAcc.toFixed(4)}, test acc ${m.testAcc.toFixed(4)} vs ${t.testAcc.toFixed(4)} (Δ ${(m.testAcc - t.testAcc).toFixed(4)})`;
    });
    console.log(`\n${TORCH_MODEL} learning curve, convnets (${BACKEND}) vs PyTorch:\n${lines.join('\n')}`);
    expect(theirs.map((t) => t.steps)).toEqual(new Array(EPOCHS).fill(Math.ceil(LIMIT / BATCH)));
    expect(ours).toHaveLength(EPOCHS);
    for (let i = 0; i < EPOCHS; i++) {
      expect(Math.abs(ours[i].testAcc - theirs[i].testAcc), lines[i]).toBeLessThanOrEqual(CURVE_TOLERANCE);
    }
    // And it learned something: not a match of two untrained networks.
    expect(ours[EPOCHS - 1].testAcc).toBeGreaterThan(0.6);
  });

  it('a LeNet trained by convnets gets the same predictions under PyTorch, `convnets eval` and evaluate()', async () => {
    const model = createModel('lenet', { ...MODEL_OPTIONS, rng: new Rng(SEED + 1) });
    const dir = join(tmp.dir, 'run');
    const weights = join(dir, 'model.safetensors');
    let ours: Awaited<ReturnType<typeof evaluate>>;
    try {
      await train(model, { train: trainSet.limit(LIMIT), test: testSet.limit(500) }, {
        epochs: 1, batchSize: BATCH, lr: LR, optimizer: 'adam', seed: SEED, augment: false, normalize: false,
      });
      await saveWeightsFile(model, weights, { model: TORCH_MODEL });
      ours = await evaluate(model, testSet, { batchSize: 1000 });
    } finally {
      model.dispose();
    }
    // The run config `convnets train` writes beside its weights, so `convnets eval` rebuilds lenet-relu.
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ version: 1, model: 'lenet', modelOptions: MODEL_OPTIONS, inputSize: 28, train: {}, seed: SEED, createdAt: new Date().toISOString() }),
    );

    const torchEval = runCheck<TorchEval>(['eval', '--model', TORCH_MODEL, '--weights', weights, '--data-dir', FASHION_MNIST_DIR]);
    torchEval.catch(() => undefined);
    const cli = await runProcess(
      process.execPath,
      ['--conditions=@convnets/source', '--import', 'tsx', 'apps/trainer/src/cli.ts', 'eval', '--weights', weights, '--json', '--backend', 'cpu', '--data-dir', FASHION_MNIST_DIR],
      { cwd: REPO_ROOT },
    );
    expect(cli.code, `convnets eval failed:\n${cli.stderr}`).toBe(0);
    const viaCli = JSON.parse(cli.stdout) as { correct: number; total: number; accuracy: number; confusion: number[][]; backend: string };
    const viaTorch = await torchEval;

    const oursSha = sha256Uint8(ours.predictions);
    console.log(
      `\ntrained ${TORCH_MODEL} (1 epoch, ${LIMIT} images): PyTorch ${viaTorch.correct}/${viaTorch.total}, ` +
        `convnets eval (${viaCli.backend}) ${viaCli.correct}/${viaCli.total}, evaluate() (${BACKEND}) ${ours.correct}/${ours.total}; ` +
        `predictions sha256 torch ${viaTorch.predictions_sha256.slice(0, 16)}…, ours ${oursSha.slice(0, 16)}…`,
    );
    expect(viaTorch.total).toBe(10_000);
    expect(viaCli.total).toBe(10_000);
    expect(viaCli.correct).toBe(viaTorch.correct);
    expect(ours.correct).toBe(viaTorch.correct);
    expect(viaCli.confusion).toEqual(ours.confusion);
    expect(oursSha).toBe(viaTorch.predictions_sha256);
    expect(viaTorch.accuracy).toBeGreaterThan(0.5);
  });
});
