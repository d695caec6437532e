import * as tf from '@tensorflow/tfjs-core';
import { loadStateDict, NonFiniteWeightsError, nonFiniteEntries, nonFiniteTensors, stateDict, throwIfDeviceErrors, type Module } from '@convnets/core';
import { batches, numBatches } from '@convnets/data';
import { clipGradNorm } from './clip_grad_norm.js';
import { createOptimizer } from './create_optimizer.js';
import { maxCheckpointBytes } from './checkpoint.js';
import { DivergenceError, WeightsDivergedError } from './divergence_error.js';
import { evaluate } from './evaluate.js';
import { applyTrainInit } from './initial_weights.js';
import { formatEpochLine } from './format_epoch_line.js';
import { softmaxCrossEntropy } from './loss.js';
import type { NamedVariable, Optimizer } from './optimizer.js';
import { getRngStates, seedRngs, setRngStates } from './rng_state.js';
import { learningRateAt } from './schedule.js';
import type { Checkpoint, CheckpointState, DatasetLike, EpochMetrics, LossEvent, TrainOptions, TrainResult } from './types.js';

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function checkOptions(o: TrainOptions): void {
  const positiveInt = (name: string, v: number | undefined): void => {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  };
  positiveInt('batchSize', o.batchSize);
  positiveInt('evalBatchSize', o.evalBatchSize);
  positiveInt('syncEvery', o.syncEvery);
  positiveInt('lossEvery', o.lossEvery);
  positiveInt('inputSize', o.inputSize);
  if (!(Number.isInteger(o.epochs) && o.epochs >= 0)) throw new RangeError(`epochs must be a non-negative integer, got ${o.epochs}`);
  if (!(o.lr > 0 && Number.isFinite(o.lr))) throw new RangeError(`lr must be a positive number, got ${o.lr}`);
  if (o.clipGradNorm !== undefined && !(o.clipGradNorm > 0)) throw new RangeError(`clipGradNorm must be positive, got ${o.clipGradNorm}`);
  if (o.resume && !o.checkpoints) throw new Error('resume: true needs a checkpoint store (options.checkpoints)');
}

/** Device-side running sums of an epoch; read back only every syncEvery steps. */
class Accumulators {
  readonly lossSum = tf.tidy(() => tf.variable(tf.scalar(0, 'float32'), false));
  readonly correct = tf.tidy(() => tf.variable(tf.scalar(0, 'int32'), false));
  /** First step (1-based, within the epoch) whose loss was not finite; -1 while all were. */
  readonly firstBad = tf.tidy(() => tf.variable(tf.scalar(-1, 'int32'), false));
  readonly badLoss = tf.tidy(() => tf.variable(tf.scalar(0, 'float32'), false));

  reset(lossSum = 0, correct = 0): void {
    tf.tidy(() => {
      this.lossSum.assign(tf.scalar(lossSum, 'float32'));
      this.correct.assign(tf.scalar(correct, 'int32'));
      this.firstBad.assign(tf.scalar(-1, 'int32'));
    });
  }

  async read(): Promise<{ lossSum: number; correct: number; firstBad: number; badLoss: number }> {
    const [l, c, f, b] = await Promise.all([this.lossSum.data(), this.correct.data(), this.firstBad.data(), this.badLoss.data()]);
    return { lossSum: l[0], correct: c[0], firstBad: f[0], badLoss: b[0] };
  }

  dispose(): void {
    tf.dispose([this.lossSum, this.correct, this.firstBad, this.badLoss]);
  }
}

/**
 * Non-blocking reads of the running sums for onLoss: a copy of [lossSum, correct] is taken
 * after the step and read with data(), which resolves once the device gets there; the
 * training loop never waits for it. drain() waits for the reads in flight (epoch end, abort).
 */
class LossPeeks {
  private inFlight: Promise<void>[] = [];
  private error: unknown;

  constructor(private readonly onLoss: (e: LossEvent) => void) {}

  start(acc: Accumulators, epoch: number, step: number, seen: number): void {
    const copy = tf.tidy(() => tf.stack([acc.lossSum, tf.cast(acc.correct, 'float32')]));
    this.inFlight.push(
      copy
        .data()
        .then((v) => {
          if (Number.isFinite(v[0])) this.onLoss({ epoch, step, loss: v[0] / step, trainAcc: v[1] / seen });
        })
        .catch((e: unknown) => {
          this.error ??= e;
        })
        .finally(() => copy.dispose()),
    );
  }

  /** Waits for the reads in flight; rethrows the first error a read or onLoss raised. */
  async drain(): Promise<void> {
    const all = this.inFlight;
    this.inFlight = [];
    await Promise.all(all);
    if (this.error !== undefined) {
      const e = this.error;
      this.error = undefined;
      throw e;
    }
  }
}

/**
 * One optimisation step, entirely on the device: forward, loss, gradients, optional clipping,
 * the update, and the running sums. Nothing is read back.
 */
function trainStep(
  model: Module,
  vars: readonly NamedVariable[],
  optimizer: Optimizer,
  acc: Accumulators,
  x: tf.Tensor,
  y: tf.Tensor,
  lr: number,
  step: number,
  o: TrainOptions,
): void {
  let correct: tf.Tensor | null = null;
  try {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => {
          const logits = model.forward(x);
          correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.cast(tf.argMax(logits, 1), 'int32'), y), 'int32')));
          return softmaxCrossEntropy(logits, y, o.labelSmoothing ?? 0);
        },
        vars.map((v) => v.variable),
      );
      let list = vars.map(({ variable }) => grads[variable.name] ?? tf.zerosLike(variable));
      if (o.clipGradNorm !== undefined) list = clipGradNorm(list, o.clipGradNorm).grads;
      optimizer.apply(list, lr);
      acc.lossSum.assign(tf.add(acc.lossSum, value));
      acc.correct.assign(tf.add(acc.correct, correct as unknown as tf.Tensor));
      const bad = tf.logicalAnd(tf.logicalNot(tf.isFinite(value)), tf.less(acc.firstBad, 0));
      acc.firstBad.assign(tf.where(bad, tf.scalar(step, 'int32'), acc.firstBad));
      acc.badLoss.assign(tf.where(bad, value, acc.badLoss));
    });
  } finally {
    if (correct) (correct as tf.Tensor).dispose();
  }
}

/**
 * The seed's train_ch5, made dependable. Per epoch: shuffled batches in epochOrder(seed, epoch),
 * one device-side step per batch, then a batched eval-mode test pass; metrics as d2l prints them.
 * Checkpoints at every epoch end and on abort; `resume` continues bit for bit (see README).
 */
export async function train(model: Module, data: { train: DatasetLike; test: DatasetLike }, options: TrainOptions): Promise<TrainResult> {
  checkOptions(options);
  const o = options;
  const seed = o.seed ?? 0;
  const syncEvery = o.syncEvery ?? 50;
  const lossEvery = o.lossEvery ?? 5;
  const peeks = o.onLoss ? new LossPeeks(o.onLoss) : null;
  const store = o.checkpoints;
  const stepsPerEpoch = numBatches(data.train.length, { batchSize: o.batchSize });
  const config: CheckpointState['config'] = {
    seed,
    batchSize: o.batchSize,
    optimizer: o.optimizer,
    trainLength: data.train.length,
    inputSize: o.inputSize ?? null,
  };
  const vars: NamedVariable[] = model
    .namedParameters()
    .filter(([, p]) => p.variable.trainable)
    .map(([name, p]) => ({ name, variable: p.variable }));
  const optimizer = createOptimizer(o.optimizer, vars, o);
  const acc = new Accumulators();

  let history: EpochMetrics[] = [];
  let startEpoch = 0;
  let startStep = 0;
  let globalStep = 0;
  let partial: CheckpointState['partial'] = null;

  try {
    const saved = o.resume && store ? await store.load({ maxBytes: maxCheckpointBytes(model) }) : null;
    if (saved) {
      const source = store?.location ?? 'checkpoint';
      checkResumable(saved, config);
      loadStateDict(model, saved.weights, source);
      const badSlots = nonFiniteEntries(saved.optimizer);
      if (badSlots.length) {
        throw new NonFiniteWeightsError(`${source} (optimizer state)`, badSlots, '; it was saved from a diverged run or is damaged: start afresh');
      }
      optimizer.setState({ ...saved.state.optimizer, tensors: saved.optimizer });
      setRngStates(model, saved.state.rng);
      history = saved.state.history;
      startEpoch = saved.state.epoch;
      startStep = saved.state.step;
      globalStep = saved.state.globalStep;
      partial = saved.state.partial;
      o.onResume?.({ epoch: startEpoch, step: startStep, stepsPerEpoch, history: [...history], source });
    } else {
      applyTrainInit(model, o.init, seed);
      seedRngs(model, seed);
    }

    const snapshot = async (state: Omit<CheckpointState, 'format' | 'version' | 'optimizer' | 'rng' | 'history' | 'config' | 'savedAt'>): Promise<Checkpoint> => {
      // Asynchronous reads (a GPU backend cannot read synchronously), started together.
      const [opt, weights] = await Promise.all([optimizer.getState(), stateDict(model)]);
      throwIfDeviceErrors();
      return {
        state: {
          format: 'convnets-checkpoint',
          version: 1,
          ...state,
          optimizer: { kind: opt.kind, step: opt.step, hyper: opt.hyper },
          rng: getRngStates(model),
          history: [...history],
          config,
          savedAt: new Date().toISOString(),
        },
        weights,
        optimizer: opt.tensors,
      };
    };

    for (let epoch = startEpoch; epoch < o.epochs; epoch++) {
      const lr = learningRateAt(o.lr, epoch, o.epochs, o.schedule);
      const resumeHere = epoch === startEpoch && partial !== null;
      const skip = epoch === startEpoch ? startStep : 0;
      let seen = resumeHere && partial ? partial.seen : 0;
      let trainSeconds = resumeHere && partial ? partial.trainSeconds : 0;
      const priorSeconds = resumeHere && partial ? partial.seconds : 0;
      acc.reset(resumeHere && partial ? partial.lossSum : 0, resumeHere && partial ? partial.correct : 0);
      model.train();
      const epochStart = now();
      // Resuming mid-epoch: the loader starts after the consumed batches (same order and augmentation).
      let step = skip;
      const iter = batches(data.train, {
        batchSize: o.batchSize,
        shuffle: true,
        seed,
        epoch,
        resize: o.inputSize,
        normalize: o.normalize,
        augment: o.augment,
        startBatch: skip,
      });
      for await (const { x, y } of iter) {
        if (o.signal?.aborted) {
          tf.dispose([x, y]);
          await iter.return(undefined);
          await peeks?.drain();
          const sums = await checkedSums(acc, epoch, lr);
          await checkFiniteWeights(model, optimizer, epoch, lr);
          const elapsed = priorSeconds + (now() - epochStart) / 1000;
          if (store) {
            await store.save(
              await snapshot({
                reason: 'abort',
                epoch,
                step,
                globalStep,
                partial: { lossSum: sums.lossSum, correct: sums.correct, seen, trainSeconds, seconds: elapsed },
              }),
            );
          }
          return { history, status: 'aborted', epoch, step, globalStep };
        }
        const t0 = now();
        const b = y.shape[0];
        try {
          trainStep(model, vars, optimizer, acc, x, y, lr, step + 1, o);
        } finally {
          tf.dispose([x, y]);
        }
        step++;
        globalStep++;
        seen += b;
        const last = step === stepsPerEpoch;
        let loss: number | undefined;
        let trainAcc: number | undefined;
        if (last || step % syncEvery === 0) {
          const sums = await checkedSums(acc, epoch, lr);
          loss = sums.lossSum / step;
          trainAcc = sums.correct / seen;
        } else if (peeks && step % lossEvery === 0) {
          peeks.start(acc, epoch + 1, step, seen);
        }
        trainSeconds += (now() - t0) / 1000;
        o.onStep?.({ epoch: epoch + 1, step, stepsPerEpoch, loss, trainAcc, examplesPerSec: trainSeconds > 0 ? seen / trainSeconds : 0, lr });
      }
      await peeks?.drain();
      const sums = await checkedSums(acc, epoch, lr);
      await checkFiniteWeights(model, optimizer, epoch, lr);
      const evalResult = await evaluate(model, data.test, { batchSize: o.evalBatchSize ?? o.batchSize, inputSize: o.inputSize, normalize: o.normalize });
      model.train();
      const metrics: EpochMetrics = {
        epoch: epoch + 1,
        loss: sums.lossSum / stepsPerEpoch,
        trainAcc: sums.correct / seen,
        testAcc: evalResult.accuracy,
        seconds: priorSeconds + (now() - epochStart) / 1000,
        examplesPerSec: trainSeconds > 0 ? seen / trainSeconds : 0,
        lr,
      };
      history.push(metrics);
      partial = null;
      o.onEvaluate?.(evalResult, epoch + 1);
      await o.onEpoch?.(metrics);
      if (store) await store.save(await snapshot({ reason: 'epoch', epoch: epoch + 1, step: 0, globalStep, partial: null }));
    }
    return { history, status: 'completed', epoch: Math.max(o.epochs, startEpoch), step: 0, globalStep };
  } finally {
    await peeks?.drain().catch(() => undefined);
    optimizer.dispose();
    acc.dispose();
  }
}

/**
 * Reads the running sums; a NaN/inf loss at any step so far throws DivergenceError, an error
 * the GPU reported on the way (kernels it dropped) DeviceComputeError.
 */
async function checkedSums(acc: Accumulators, epoch: number, lr: number): Promise<{ lossSum: number; correct: number }> {
  const s = await acc.read();
  throwIfDeviceErrors();
  if (s.firstBad >= 0 || !Number.isFinite(s.lossSum)) {
    throw new DivergenceError({ epoch: epoch + 1, step: s.firstBad >= 0 ? s.firstBad : NaN, lr, loss: s.firstBad >= 0 ? s.badLoss : s.lossSum });
  }
  return s;
}

/**
 * Every weight, buffer and optimizer slot must still be finite: one device-side count per
 * tensor and one small async read. A NaN weight can hide behind a finite loss (ReLU maps NaN
 * activations to 0), so this runs before each checkpoint is written.
 */
async function checkFiniteWeights(model: Module, optimizer: Optimizer, epoch: number, lr: number): Promise<void> {
  const named: [string, tf.Tensor][] = [
    ...model.namedParameters().map(([n, p]): [string, tf.Tensor] => [n, p.variable]),
    ...model.namedBuffers().map(([n, b]): [string, tf.Tensor] => [n, b.variable]),
    ...optimizer.slotVariables().map((v, i): [string, tf.Tensor] => [`optimizer slot ${i}`, v]),
  ];
  const bad = await nonFiniteTensors(named);
  throwIfDeviceErrors();
  if (bad.length) throw new WeightsDivergedError({ epoch: epoch + 1, lr, tensors: bad });
}

function checkResumable(c: Checkpoint, config: CheckpointState['config']): void {
  const diffs: string[] = [];
  for (const key of Object.keys(config) as (keyof CheckpointState['config'])[]) {
    if (c.state.config[key] !== config[key]) diffs.push(`${key} ${String(c.state.config[key])} (checkpoint) vs ${String(config[key])} (now)`);
  }
  if (diffs.length) {
    throw new Error(
      `Cannot resume: the checkpoint was saved with different settings (${diffs.join('; ')}). ` +
        'Resume with the same settings, or start afresh (resume: false or a new checkpoint directory).',
    );
  }
}

/** The seed's optimizer argument: which one and its learning rate (plus momentum/weight decay). */
export interface Ch5Optimizer {
  kind: 'adam' | 'sgd';
  lr: number;
  momentum?: number;
  weightDecay?: number;
}

/**
 * `d2l.train_ch5(net, train_iter, test_iter, batch_size, optimizer, device, num_epochs)`:
 * starts the device (`device`: a function that starts a backend, e.g. `() => useBackend('wasm')`
 * from `@convnets/backends`; null keeps tfjs's current one), prints `training on <backend>` and
 * one seed-style line per epoch.
 * `extra` passes any other TrainOptions (inputSize for the seed's resize, checkpoints, …).
 */
export async function trainCh5(
  net: Module,
  trainIter: DatasetLike,
  testIter: DatasetLike,
  batchSize: number,
  optimizer: Ch5Optimizer,
  device: (() => Promise<unknown>) | null,
  numEpochs: number,
  extra: Partial<TrainOptions> & { log?: (line: string) => void } = {},
): Promise<TrainResult> {
  const log = extra.log ?? ((line: string) => console.log(line));
  if (device) await device();
  log(`training on ${tf.getBackend()}`);
  return train(
    net,
    { train: trainIter, test: testIter },
    {
      ...extra,
      epochs: numEpochs,
      batchSize,
      lr: optimizer.lr,
      optimizer: optimizer.kind,
      momentum: optimizer.momentum ?? extra.momentum,
      weightDecay: optimizer.weightDecay ?? extra.weightDecay,
      onEpoch: (m) => {
        log(formatEpochLine(m));
        return extra.onEpoch?.(m);
      },
    },
  );
}
