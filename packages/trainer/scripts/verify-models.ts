/**
 * Trains every model at its `quick` preset on Fashion-MNIST and prints the seed's lines.
 *   node --conditions=@convnets/source --import tsx packages/trainer/scripts/verify-models.ts [--backend wasm] [--models lenet,vgg11]
 * (`pnpm verify:models` at the root.) Flags a model below 0.5 test accuracy; exits 1 if one stays near chance (<= 0.15).
 */
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, type BackendName } from '@convnets/backends';
import { loadFashionMnist } from '@convnets/data/node';
import { MODEL_NAMES, type ModelName } from '@convnets/models';
import { buildPresetModel, formatEpochLine, getPreset, train, trainOptionsFromConfig } from '../src/index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const backend = (arg('backend') ?? 'wasm') as BackendName;
const models = (arg('models')?.split(',') ?? [...MODEL_NAMES]) as ModelName[];
const info = await useBackend(backend);
console.log(`training on ${info.name}`);
const fullTrain = await loadFashionMnist({ split: 'train' });
const fullTest = await loadFashionMnist({ split: 'test' });
const summary: string[] = [];
let failed = false;
for (const name of models) {
  const config = getPreset(name, 'quick');
  const trainSet = config.limitTrain ? fullTrain.limit(config.limitTrain) : fullTrain;
  const testSet = config.limitTest ? fullTest.limit(config.limitTest) : fullTest;
  console.log(
    `\n== ${name} (quick): ${config.optimizer} lr ${config.lr}, batch ${config.batchSize}, ${config.epochs} epoch(s), ` +
      `input ${config.inputSize}, ${trainSet.length} train / ${testSet.length} test examples`,
  );
  const model = buildPresetModel(name, config, 0);
  const t0 = performance.now();
  const result = await train(model, { train: trainSet, test: testSet }, trainOptionsFromConfig(config, { onEpoch: (m) => console.log(formatEpochLine(m)) }));
  const last = result.history[result.history.length - 1];
  const secs = (performance.now() - t0) / 1000;
  const flag = last.testAcc > 0.5 ? '' : last.testAcc > 0.15 ? '  (weak: below 0.5)' : '  (FAILED: near chance)';
  summary.push(`${name.padEnd(10)} test acc ${last.testAcc.toFixed(3)}  ${secs.toFixed(0)} s${flag}`);
  if (!(last.testAcc > 0.15)) failed = true;
  model.dispose();
}
console.log(`\n${summary.join('\n')}\n(tensors alive: ${tf.memory().numTensors})`);
process.exit(failed ? 1 : 0);
