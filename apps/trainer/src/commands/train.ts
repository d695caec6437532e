/** `convnets train`: the d2l train_ch5 loop with a progress bar, metrics, plots, checkpoints and weights. */
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { asGpuDeviceLost, type BackendName } from '@convnets/backends';
import { DeviceComputeError, NonFiniteWeightsError, Rng, SafetensorsError, saveWeights, type Module } from '@convnets/core';
import { FileReadError, saveWeightsFile, writeFileAtomic } from '@convnets/core/node';
import { formatSummary, type ModelName } from '@convnets/models';
import { DivergenceError, evaluate, formatEpochLine, getPreset, train, type EpochMetrics, type PresetName } from '@convnets/trainer';
import { FileCheckpointStore } from '@convnets/trainer/node';
import { describeBackend, startBackend } from '../backend.js';
import { describeSource, loadSplit } from '../data.js';
import { CliError, EXIT_INTERRUPTED, EXIT_TERMINATED, oneLine, UsageError } from '../errors.js';
import { fsError } from '../fs_errors.js';
import { summarize } from '../model_setup.js';
import {
  BACKEND_OPTIONS,
  checkWidthRatio,
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
import { prepareRunDir, resolveOut, type PreparedRunDir } from '../run_dir.js';
import { checkResumeFlags } from '../resume_flags.js';
import { printHelp } from '../help.js';
import { plural } from '../plural.js';

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
      --out <dir>          where the run's files go (default runs/<model>-<preset>); a directory
                           that already holds a run is refused without --resume or --overwrite
      --resume             continue the run in --out from its last checkpoint, with its settings
                           (--epochs, --lr and --limit-test may be changed; they are listed)
      --overwrite          replace the run in --out
  -v, --verbose            stack traces on errors
  -h, --help               this help

Writes into --out: metrics.jsonl (one JSON object per epoch), model.safetensors (PyTorch-ready
weights), config.json (to rebuild the model in eval/predict), checkpoint.safetensors and
checkpoint.json, curves.svg and confusion.svg (redrawn as training goes).

Ctrl-C finishes the current step, saves a checkpoint and exits with 130 (SIGTERM, as sent by
timeout, systemd or docker stop, does the same and exits with 143); run the same command with
--resume to continue. One training at a time can use a run directory (it is locked).

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
  overwrite: { type: 'boolean' },
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
  const resume = values.resume ?? false;
  const overwrite = values.overwrite ?? false;
  if (resume && overwrite) throw new UsageError('--resume and --overwrite contradict each other: --resume continues the run in --out, --overwrite replaces it');
  if (!resume) checkWidthRatio(modelFlag ?? 'lenet', shape.widthRatio);
  const out = resolveOut(values.out, join('runs', `${modelFlag ?? 'lenet'}-${preset}`));

  // With --resume, the run's own config.json is the base: flags may only change what can change.
  const prev = resume ? await readRunConfig(join(out, CONFIG_FILE)) : null;
  const overrides = prev ? checkResumeFlags(prev, out, { model: modelFlag, preset: values.preset === undefined ? undefined : preset, ...shape, ...flags }) : [];
  const model = prev?.model ?? modelFlag ?? 'lenet';
  const base = getPreset(model, (prev?.preset as PresetName | undefined) ?? preset);
  const { why, reference: _reference, modelOptions: presetModelOptions, limitTrain: presetLimitTrain, limitTest: presetLimitTest, ...presetTrain } = base as typeof base & { reference?: unknown };
  const trainOpts: TrainOpts = {
    ...(prev ? (prev.train as typeof presetTrain) : presetTrain),
    ...defined({ epochs: flags.epochs, batchSize: flags.batchSize, lr: flags.lr, optimizer: flags.optimizer }),
  };
  const inputSize = shape.inputSize ?? prev?.inputSize ?? base.inputSize;
  trainOpts.inputSize = inputSize;
  const modelOptions = { ...(prev?.modelOptions ?? presetModelOptions ?? {}) } as Record<string, unknown>;
  const widthRatio = shape.widthRatio ?? prev?.widthRatio ?? (modelOptions.widthRatio as number | undefined);
  const seed = flags.seed ?? prev?.seed ?? 0;
  const limitTrain = flags.limitTrain ?? prev?.data?.limitTrain ?? presetLimitTrain;
  const limitTest = flags.limitTest ?? prev?.data?.limitTest ?? presetLimitTest;

  const note = (line: string) => process.stderr.write(`${line}\n`);
  // The run directory is locked for the whole run and checked before any slow work.
  const runDir = await prepareRunDir(out, { resume, overwrite }, note);
  try {
    return await trainInRunDir({ argv, values, started, backendFlag, threads, out, resume, runDir, prev, overrides, model, preset, why, trainOpts, inputSize, modelOptions, widthRatio, seed, limitTrain, limitTest, say });
  } finally {
    runDir.lock.release();
  }
}

type TrainOpts = Record<string, unknown> & { epochs: number; batchSize: number; lr: number; optimizer: 'adam' | 'sgd'; inputSize?: number };

/** What `run` settled before taking the run directory's lock. */
interface RunContext {
  argv: string[];
  values: { 'data-dir'?: string; download?: boolean; verbose?: boolean };
  started: number;
  backendFlag: BackendName | 'auto';
  threads: number | undefined;
  out: string;
  resume: boolean;
  runDir: PreparedRunDir;
  prev: RunConfig | null;
  overrides: string[];
  model: ModelName;
  preset: PresetName;
  why: string | undefined;
  trainOpts: TrainOpts;
  inputSize: number;
  modelOptions: Record<string, unknown>;
  widthRatio: number | undefined;
  seed: number;
  limitTrain: number | undefined;
  limitTest: number | undefined;
  say: (line: string) => void;
}

/** The run itself, with its directory locked. */
async function trainInRunDir(c: RunContext): Promise<number> {
  const { argv, values, started, backendFlag, threads, out, resume, runDir, prev, overrides, model, preset, why, trainOpts, inputSize, modelOptions, widthRatio, seed, limitTrain, limitTest, say } = c;
  const verbose = values.verbose ?? false;
  say(`convnets train: ${model}, preset ${prev?.preset ?? preset}`);
  if (verbose && why) say(`preset: ${why}`);
  if (overrides.length) say(`resume overrides: ${overrides.join(', ')}`);

  const backend = await startBackend(backendFlag, threads);
  for (const line of describeBackend(backend, { verbose })) say(line);

  // The network before the data: a shape that does not fit fails before the slow part.
  const rng = new Rng(seed);
  const net: Module = buildModel(model, { inputSize, widthRatio, modelOptions, rng });
  const info = summarize(net, model, inputSize);

  const trainSet = await loadSplit('train', { dataDir: values['data-dir'], download: values.download, limit: limitTrain });
  const testSet = await loadSplit('test', { dataDir: values['data-dir'], download: values.download, limit: limitTest });
  say(`data: ${describeSource(trainSet.source)} (train ${trainSet.length}, test ${testSet.length})`);
  say(formatSummary(info));
  const opts = `${trainOpts.optimizer} lr ${trainOpts.lr}${trainOpts.momentum ? ` momentum ${String(trainOpts.momentum)}` : ''}`;
  say(`training: ${plural(trainOpts.epochs, 'epoch')}, batch ${trainOpts.batchSize}, ${opts}, input ${inputSize}x${inputSize}, seed ${seed} -> ${shortPath(out)}`);

  // The run directory: config first, so that eval/predict/--resume can rebuild the network.
  const metricsPath = join(out, 'metrics.jsonl');
  // The checkpoint's history is the record of finished epochs; metrics.jsonl mirrors it.
  const history = new Map<number, Metrics>();
  await runDir.clearEarlierRun();
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
  // A resumed run rewrites its config.json only once its checkpoint has loaded.
  if (!resume) {
    try {
      await writeRunConfig(join(out, CONFIG_FILE), config);
    } catch (e) {
      throw fsError(e, out, "cannot write the run's files");
    }
  }

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

  const writeHistory = () => {
    const snapshot = [...history.values()].sort((a, b) => a.epoch - b.epoch);
    enqueue(() => writeFileAtomic(metricsPath, snapshot.map((x) => JSON.stringify(x)).join('\n') + (snapshot.length ? '\n' : '')));
    enqueue(async () => writeFileAtomic(join(out, 'curves.svg'), await renderCurves(snapshot, { title, epochs: trainOpts.epochs })));
  };

  let confusionDrawn = false;
  const controller = new AbortController();
  let interrupts = 0;
  // SIGTERM (timeout, systemd, docker stop) is handled like Ctrl-C; the exit code tells them apart.
  let stopSignal: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(signal === 'SIGTERM' ? EXIT_TERMINATED : EXIT_INTERRUPTED);
    stopSignal = signal;
    progress.stop();
    process.stderr.write('\n');
    warn(`${signal === 'SIGTERM' ? 'SIGTERM' : 'Ctrl-C'}: stopping after the current step and saving a checkpoint (again to quit now)`);
    controller.abort();
  };
  const progress = new EpochProgress({ epochs: trainOpts.epochs, tty: Boolean(process.stderr.isTTY) });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  /** The command that goes on with this run: the same one, with `extra` (--resume) and no --overwrite. */
  const continueCommand = (extra: string[], { dropBackend = false } = {}) => [
    ...invokedAs().split(' '),
    'train',
    ...argv.filter((a, i) => a !== '--resume' && a !== '--overwrite' && !(dropBackend && isBackendFlag(argv, i))),
    ...extra,
  ];
  const printCommand = (heading: string, words: string[]) =>
    process.stderr.write([heading, ...commandLines(words, terminalWidth(process.stderr))].join('\n') + '\n');
  // Where the run was (1-based, as the progress bar shows it), for an error that stops it.
  const at = { epoch: 1, step: 0 };

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
        onResume: (r) => {
          enqueue(() => writeRunConfig(join(out, CONFIG_FILE), config));
          for (const m of r.history) history.set(m.epoch, pick(m));
          writeHistory();
          say(
            r.epoch >= trainOpts.epochs
              ? `the run in ${shortPath(out)} has finished its ${plural(r.epoch, 'epoch')}; nothing left to train (raise --epochs to train more)`
              : `resuming epoch ${r.epoch + 1}, step ${r.step} of ${r.stepsPerEpoch} from ${shortPath(r.source)}`,
          );
        },
        onStep: (e) => {
          at.epoch = e.epoch;
          at.step = e.step;
          progress.update(e);
        },
        onLoss: (e) => progress.loss(e),
        onEvaluate: (r, epoch) => {
          const confusion = r.confusion.map((row) => [...row]);
          confusionDrawn = true;
          enqueue(async () =>
            writeFileAtomic(join(out, 'confusion.svg'), await renderConfusion(confusion, testSet.classes, `${title}: test confusion, epoch ${epoch}`)),
          );
        },
        onEpoch: async (m) => {
          progress.stop();
          say(formatEpochLine(m));
          history.set(m.epoch, pick(m));
          // Read now (train waits for it, the next step would change the weights); write off the loop.
          const weights = await saveWeights(net, weightsMeta(m.epoch));
          writeHistory();
          enqueue(() => writeFileAtomic(join(out, 'model.safetensors'), weights));
        },
      },
    );
  } catch (e) {
    progress.stop();
    await writes;
    const lost = await asGpuDeviceLost(e);
    if (lost || e instanceof DeviceComputeError) {
      // Both are checked before every checkpoint: the one on disk predates what went wrong.
      const what = lost ? oneLine(lost.message) : oneLine((e as DeviceComputeError).message);
      warn(`convnets train: error: ${what} in epoch ${at.epoch}, after step ${at.step}; ${await describeCheckpoint(out)}`);
      printCommand('continue with:', continueCommand(['--resume']));
      printCommand('or without the GPU (a run keeps its settings on any backend):', continueCommand(['--resume', '--backend', 'wasm'], { dropBackend: true }));
      return 1;
    }
    if (e instanceof DivergenceError || e instanceof NonFiniteWeightsError || e instanceof SafetensorsError || e instanceof FileReadError) {
      throw new CliError(oneLine(e.message), { cause: e });
    }
    if ((e as NodeJS.ErrnoException).code && !(e instanceof CliError)) throw fsError(e, out, "cannot write the run's files");
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress.stop();
  await writes;
  if (writeError) throw fsError(writeError, out, "cannot write the run's files");

  if (result.status === 'aborted') {
    // result.epoch counts finished epochs; the bar numbers the one it stopped in from 1.
    warn(`interrupted${stopSignal === 'SIGTERM' ? ' (SIGTERM)' : ''} at epoch ${result.epoch + 1}, step ${result.step}; checkpoint saved in ${out}`);
    printCommand('continue with:', continueCommand(['--resume']));
    return stopSignal === 'SIGTERM' ? EXIT_TERMINATED : EXIT_INTERRUPTED;
  }

  try {
    await saveWeightsFile(net, join(out, 'model.safetensors'), weightsMeta(result.epoch));
  } catch (e) {
    throw fsError(e, out, "cannot write the run's files");
  }
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

/** Whether argv[i] is --backend / -b or its value (`--backend x`, `--backend=x`, `-b x`, `-bx`). */
function isBackendFlag(argv: string[], i: number): boolean {
  const flag = (a: string | undefined) => a === '--backend' || a === '-b';
  return flag(argv[i]) || flag(argv[i - 1]) || argv[i].startsWith('--backend=') || (argv[i].startsWith('-b') && !argv[i].startsWith('--'));
}

/** What a stopped run can go on from: its checkpoint's position, from the readable copy beside it. */
async function describeCheckpoint(out: string): Promise<string> {
  let state: { epoch?: number; step?: number };
  try {
    state = JSON.parse(await readFile(join(out, 'checkpoint.json'), 'utf8')) as typeof state;
  } catch {
    return `no checkpoint was saved yet in ${shortPath(out)}: --resume starts it from the beginning`;
  }
  const { epoch = 0, step = 0 } = state;
  return `the checkpoint saved ${step === 0 ? `after epoch ${epoch}` : `at epoch ${epoch + 1}, step ${step}`} in ${shortPath(out)} is intact`;
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
