/** `convnets train`: the d2l train_ch5 loop with a progress bar, metrics, plots, checkpoints and weights. */
import { readFile, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Rng, saveWeights, type Module } from '@convnets/core';
import { saveWeightsFile, writeFileAtomic } from '@convnets/core/node';
import { formatSummary } from '@convnets/models';
import { DivergenceError, evaluate, formatEpochLine, getPreset, train, type EpochMetrics } from '@convnets/trainer';
import { FileCheckpointStore } from '@convnets/trainer/node';
import { describeBackend, startBackend } from '../backend.js';
import { describeSource, loadSplit } from '../data.js';
import { CliError, EXIT_INTERRUPTED, oneLine } from '../errors.js';
import { summarize } from '../model_setup.js';
import {
  BACKEND_OPTIONS,
  THREADS_HELP,
  COMMON_OPTIONS,
  DATA_OPTIONS,
  MODEL_OPTIONS,
  opt,
  parse,
  parseBackend,
  parseThreads,
  parseChoice,
  parseInteger,
  parseModel,
  parsePositive,
  parsePreset,
  parseShapeFlags,
} from '../options.js';
import { renderConfusion } from '../plots/confusion.js';
import { renderCurves } from '../plots/curves.js';
import { EpochProgress, formatDuration } from '../progress.js';
import { invokedAs } from '../invocation.js';
import { commandLines, say, terminalWidth, warn } from '../terminal.js';
import { buildModel, CONFIG_FILE, readRunConfig, writeRunConfig, type Normalize, type RunConfig } from '../run_config.js';
import { printHelp } from '../help.js';

export const help = `Usage: convnets train [options]

Trains a network on Fashion-MNIST the way the book's train_ch5 does, printing one line per epoch:
  epoch 1, loss 0.4123, train acc 0.851, test acc 0.862, time 31.2 sec, 1923 examples/sec

Options:
  -m, --model <name>       lenet | alexnet | vgg11 | nin | googlenet | resnet18 (default lenet)
      --preset <name>      book | seed | quick (default quick): epochs, batch size, lr, optimizer,
                           input size and model variant; the flags below override it
      --epochs <n>         number of epochs
      --batch-size <n>     examples per step
      --lr <x>             learning rate
      --optimizer <name>   adam | sgd
      --input-size <n>     images are resized to n x n (LeNet 28, AlexNet/VGG/NiN 224, GoogLeNet 96)
      --width-ratio <r>    divide the channel counts by r (VGG's "ratio")
      --limit-train <n>    train on a class-stratified subset of n examples
      --limit-test <n>     test on a class-stratified subset of n examples
      --seed <s>           seed of init, shuffling and augmentation (default 0)
  -b, --backend <name>     auto | tensorflow | webgpu | wasm | webgl | cpu (default auto:
                           tensorflow, then webgpu on a hardware GPU, then wasm, then cpu)
${THREADS_HELP}
      --data-dir <dir>     read Fashion-MNIST from dir (default: $FASHION_MNIST_DIR, the Debian
                           package, or the cache)
      --download           allow downloading Fashion-MNIST into the cache
      --out <dir>          where the run's files go (default runs/<model>-<preset>)
      --resume             continue the run in --out from its last checkpoint
  -v, --verbose            stack traces on errors
  -h, --help               this help

Writes into --out: metrics.jsonl (one JSON object per epoch), model.safetensors (PyTorch-ready
weights), config.json (to rebuild the model in eval/predict), checkpoint.safetensors and
checkpoint.json, curves.svg and confusion.svg (redrawn as training goes).

Ctrl-C finishes the current step, saves a checkpoint and exits with 130; run the same command
with --resume to continue.

Examples:
  convnets train                                  # LeNet, quick preset: ~0.87 test acc in minutes
  convnets train --model lenet --preset book      # the book's sigmoid LeNet, SGD
  convnets train --model vgg11 --width-ratio 8 --input-size 96 --epochs 5
  convnets train --limit-train 2000 --limit-test 500 --epochs 2 --backend wasm --out /tmp/run
  convnets train --out /tmp/run --resume          # continue after Ctrl-C
`;

const TRAIN_OPTIONS = {
  ...COMMON_OPTIONS,
  ...MODEL_OPTIONS,
  ...BACKEND_OPTIONS,
  ...DATA_OPTIONS,
  preset: { type: 'string' },
  epochs: { type: 'string', short: 'e' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  optimizer: { type: 'string' },
  'limit-train': { type: 'string' },
  'limit-test': { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string', short: 'o' },
  resume: { type: 'boolean' },
} as const;

type Metrics = Pick<EpochMetrics, 'epoch' | 'loss' | 'trainAcc' | 'testAcc' | 'seconds' | 'examplesPerSec' | 'lr'>;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse('train', argv, TRAIN_OPTIONS);
  if (values.help) {
    printHelp(help);
    return 0;
  }
  // Every flag is checked before any work starts, so usage errors are instant.
  const modelFlag = opt(values.model, (v) => parseModel(v));
  const preset = parsePreset(values.preset);
  const backendFlag = parseBackend(values.backend);
  const threads = parseThreads(values.threads);
  const shape = parseShapeFlags(values);
  const flags = {
    epochs: opt(values.epochs, (v) => parseInteger('--epochs', v)),
    batchSize: opt(values['batch-size'], (v) => parseInteger('--batch-size', v)),
    lr: opt(values.lr, (v) => parsePositive('--lr', v)),
    optimizer: opt(values.optimizer, (v) => parseChoice('--optimizer', v, ['adam', 'sgd'] as const)),
    limitTrain: opt(values['limit-train'], (v) => parseInteger('--limit-train', v)),
    limitTest: opt(values['limit-test'], (v) => parseInteger('--limit-test', v)),
    seed: opt(values.seed, (v) => parseInteger('--seed', v, { allowZero: true })),
  };
  const started = performance.now();
  const model = modelFlag ?? 'lenet';
  const out = resolve(values.out ?? join('runs', `${model}-${preset}`));
  const resume = values.resume ?? false;

  // With --resume, the run's own config.json is the base: flags only override what they name.
  const prev = resume ? await readRunConfig(join(out, CONFIG_FILE)) : null;
  if (prev && modelFlag && prev.model !== modelFlag) {
    throw new CliError(`${out} holds a ${prev.model} run, not ${modelFlag}; resume it without --model, or pick another --out`);
  }
  const base = getPreset(model, preset);
  const { why, reference: _reference, modelOptions: presetModelOptions, limitTrain: presetLimitTrain, limitTest: presetLimitTest, ...presetTrain } = base as typeof base & { reference?: unknown };
  const trainOpts: Record<string, unknown> & { epochs: number; batchSize: number; lr: number; optimizer: 'adam' | 'sgd'; inputSize?: number } = {
    ...(prev ? (prev.train as typeof presetTrain) : presetTrain),
    ...defined({ epochs: flags.epochs, batchSize: flags.batchSize, lr: flags.lr, optimizer: flags.optimizer }),
  };
  const inputSize = shape.inputSize ?? prev?.inputSize ?? base.inputSize;
  trainOpts.inputSize = inputSize;
  const modelOptions = { ...(prev?.modelOptions ?? presetModelOptions ?? {}) } as Record<string, unknown>;
  const widthRatio = shape.widthRatio ?? prev?.widthRatio ?? (modelOptions.widthRatio as number | undefined);
  if (prev) {
    if (prev.inputSize !== inputSize) throw new CliError(`${out} was trained with --input-size ${prev.inputSize}; resume with the same size or pick another --out`);
    if (prev.widthRatio !== widthRatio) throw new CliError(`${out} was trained with --width-ratio ${prev.widthRatio ?? 'unset'}; resume with the same ratio or pick another --out`);
  }
  const seed = flags.seed ?? prev?.seed ?? 0;
  const limitTrain = flags.limitTrain ?? prev?.data?.limitTrain ?? presetLimitTrain;
  const limitTest = flags.limitTest ?? prev?.data?.limitTest ?? presetLimitTest;

  const verbose = values.verbose ?? false;
  say(`convnets train: ${model}, preset ${prev?.preset ?? preset}`);
  if (verbose && why) say(`preset: ${why}`);

  const backend = await startBackend(backendFlag, threads);
  for (const line of describeBackend(backend, { verbose })) say(line);

  const trainSet = await loadSplit('train', { dataDir: values['data-dir'], download: values.download, limit: limitTrain });
  const testSet = await loadSplit('test', { dataDir: values['data-dir'], download: values.download, limit: limitTest });
  say(`data: ${describeSource(trainSet.source)} (train ${trainSet.length}, test ${testSet.length})`);

  const rng = new Rng(seed);
  const net: Module = buildModel(model, { inputSize, widthRatio, modelOptions, rng });
  const info = summarize(net, model, inputSize);
  say(formatSummary(info));
  const opts = `${trainOpts.optimizer} lr ${trainOpts.lr}${trainOpts.momentum ? ` momentum ${String(trainOpts.momentum)}` : ''}`;
  say(`training: ${trainOpts.epochs} epochs, batch ${trainOpts.batchSize}, ${opts}, input ${inputSize}x${inputSize}, seed ${seed} -> ${shortPath(out)}`);

  // The run directory: config first, so that eval/predict/--resume can rebuild the network.
  const metricsPath = join(out, 'metrics.jsonl');
  const history = new Map<number, Metrics>();
  if (resume) for (const m of await readMetrics(metricsPath)) history.set(m.epoch, m);
  else await Promise.all(['metrics.jsonl', 'checkpoint.json', 'checkpoint.safetensors'].map((f) => rm(join(out, f), { force: true })));
  const config: RunConfig = {
    version: 1,
    model,
    preset: prev?.preset ?? preset,
    modelOptions,
    inputSize,
    ...(widthRatio !== undefined ? { widthRatio } : {}),
    normalize: trainOpts.normalize as Normalize | undefined,
    train: trainOpts,
    data: { limitTrain, limitTest },
    seed,
    backend: backend.name,
    createdAt: prev?.createdAt || new Date().toISOString(),
  };
  await writeRunConfig(join(out, CONFIG_FILE), config);

  // Files are written in order, off the training loop; the first failure is reported at the end.
  let writes: Promise<void> = Promise.resolve();
  let writeError: unknown;
  const enqueue = (fn: () => Promise<void>) => {
    writes = writes.then(fn).catch((e: unknown) => {
      writeError ??= e;
    });
  };
  const title = `${model} (${config.preset}) on Fashion-MNIST`;
  const weightsMeta = (epoch: number) => ({ model, preset: String(config.preset), inputSize: String(inputSize), epoch: String(epoch) });

  let confusionDrawn = false;
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT_INTERRUPTED);
    progress.stop();
    process.stderr.write('\n');
    warn('stopping after the current step and saving a checkpoint (Ctrl-C again to quit now)');
    controller.abort();
  };
  const progress = new EpochProgress({ epochs: trainOpts.epochs, tty: Boolean(process.stderr.isTTY) });
  process.on('SIGINT', onSigint);

  let result;
  try {
    result = await train(
      net,
      { train: trainSet, test: testSet },
      {
        ...(trainOpts as Parameters<typeof train>[2]),
        seed,
        signal: controller.signal,
        checkpoints: new FileCheckpointStore(out),
        resume,
        onStep: (e) => progress.update(e),
        onLoss: (e) => progress.loss(e),
        onEvaluate: (r, epoch) => {
          const confusion = r.confusion.map((row) => [...row]);
          confusionDrawn = true;
          enqueue(async () =>
            writeFileAtomic(join(out, 'confusion.svg'), await renderConfusion(confusion, testSet.classes, `${title}: test confusion, epoch ${epoch}`)),
          );
        },
        onEpoch: (m) => {
          progress.stop();
          say(formatEpochLine(m));
          history.set(m.epoch, pick(m));
          const snapshot = [...history.values()].sort((a, b) => a.epoch - b.epoch);
          const weights = saveWeights(net, weightsMeta(m.epoch));
          enqueue(() => writeFileAtomic(metricsPath, snapshot.map((x) => JSON.stringify(x)).join('\n') + '\n'));
          enqueue(() => writeFileAtomic(join(out, 'model.safetensors'), weights));
          enqueue(async () => writeFileAtomic(join(out, 'curves.svg'), await renderCurves(snapshot, { title, epochs: trainOpts.epochs })));
        },
      },
    );
  } catch (e) {
    progress.stop();
    await writes;
    if (e instanceof DivergenceError) throw new CliError(oneLine(e.message), { cause: e });
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
  progress.stop();
  await writes;
  if (writeError) throw new CliError(`cannot write the run's files in ${out}: ${(writeError as Error).message}`, { cause: writeError });

  if (result.status === 'aborted') {
    // result.epoch counts finished epochs; the bar numbers the one it stopped in from 1.
    warn(`interrupted at epoch ${result.epoch + 1}, step ${result.step}; checkpoint saved in ${out}`);
    const command = [...invokedAs().split(' '), 'train', ...argv.filter((a) => a !== '--resume'), '--resume'];
    process.stderr.write(['continue with:', ...commandLines(command, terminalWidth(process.stderr))].join('\n') + '\n');
    return EXIT_INTERRUPTED;
  }

  await saveWeightsFile(net, join(out, 'model.safetensors'), weightsMeta(result.epoch));
  let last = [...history.values()].sort((a, b) => a.epoch - b.epoch).at(-1)?.testAcc;
  if (!confusionDrawn) {
    // Nothing left to train (a finished run resumed): draw the final network's confusion matrix.
    const r = await evaluate(net, testSet, { batchSize: trainOpts.batchSize, inputSize, normalize: config.normalize });
    await writeFileAtomic(join(out, 'confusion.svg'), await renderConfusion(r.confusion, testSet.classes, `${title}: test confusion`));
    last ??= r.accuracy;
  }
  say(
    `done in ${formatDuration((performance.now() - started) / 1000)}: test acc ${last?.toFixed(3) ?? '-'}; ` +
      `wrote model.safetensors, metrics.jsonl, config.json, curves.svg and confusion.svg in ${shortPath(out)}`,
  );
  return 0;
}

/** A path relative to the current directory when it is inside it. */
function shortPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
}

function pick(m: EpochMetrics): Metrics {
  return { epoch: m.epoch, loss: m.loss, trainAcc: m.trainAcc, testAcc: m.testAcc, seconds: m.seconds, examplesPerSec: m.examplesPerSec, lr: m.lr };
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function readMetrics(path: string): Promise<Metrics[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Metrics];
      } catch {
        return [];
      }
    });
}
