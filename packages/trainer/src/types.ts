import type { RngState, TensorEntry } from '@convnets/core';
import type { AugmentOptions, LabeledImages } from '@convnets/data';
import type { LrSchedule } from './schedule.js';

/** What train() and evaluate() need of a dataset: a FashionMnist, or any N labelled h×w images. */
export type DatasetLike = LabeledImages;

/** Metrics of one finished epoch, as the seed's train_ch5 prints them (plus throughput and lr). */
export interface EpochMetrics {
  /** 1-based, as printed. */
  epoch: number;
  /** Mean over the epoch's batches of the batch's mean loss (d2l: train_l_sum / batch_count). */
  loss: number;
  /** Fraction of training examples classified right by the forward pass of their step. */
  trainAcc: number;
  /** Accuracy on the test set after the epoch, in eval mode. */
  testAcc: number;
  /** Wall time of the epoch, training and test evaluation (as d2l measures it). */
  seconds: number;
  /** Training examples per second (training steps only, evaluation excluded). */
  examplesPerSec: number;
  /** The learning rate used in this epoch. */
  lr: number;
}

export interface StepEvent {
  /** 1-based epoch. */
  epoch: number;
  /** 1-based step within the epoch. */
  step: number;
  stepsPerEpoch: number;
  /**
   * Running mean loss of the epoch so far. Only read back from the device every `syncEvery`
   * steps and on the last step of the epoch; undefined on the others.
   */
  loss: number | undefined;
  /** Running training accuracy of the epoch, when `loss` is defined. */
  trainAcc: number | undefined;
  /** Training examples per second in this epoch so far. */
  examplesPerSec: number;
  lr: number;
}

/** The running loss of an epoch, read back without stopping the training loop (see TrainOptions.lossEvery). */
export interface LossEvent {
  /** 1-based epoch. */
  epoch: number;
  /** The step (1-based, within the epoch) the loss was read after. */
  step: number;
  /** Running mean loss of the epoch up to that step. */
  loss: number;
  /** Running training accuracy of the epoch up to that step. */
  trainAcc: number;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: 'adam' | 'sgd';
  /** SGD momentum (torch semantics: b = μb + g; p -= lr·b). */
  momentum?: number;
  /** L2 weight decay added to the gradient (torch semantics, Adam and SGD). */
  weightDecay?: number;
  /** Adam's betas and epsilon (defaults 0.9, 0.999, 1e-8 as PyTorch). */
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Per-epoch learning-rate schedule. */
  schedule?: LrSchedule;
  /** Clip gradients to this global L2 norm (torch.nn.utils.clip_grad_norm_). */
  clipGradNorm?: number;
  /** nn.CrossEntropyLoss(label_smoothing=…). Default 0. */
  labelSmoothing?: number;
  /** Bilinear resize of each batch to inputSize×inputSize (the seed's `resize`). */
  inputSize?: number;
  augment?: AugmentOptions | false;
  normalize?: boolean | { mean: number; std: number };
  /** Seeds data order, dropout and (with init 'xavier') the weights. Default 0. */
  seed?: number;
  /** 'xavier': re-initialise Conv2d/Linear weights with xavier_uniform_ on a fresh start (d2l's train_ch6). */
  init?: 'default' | 'xavier';
  /** Batch size for test evaluation (default batchSize). */
  evalBatchSize?: number;
  /** Read loss/accuracy back from the device every this many steps (default 50) and at epoch end. */
  syncEvery?: number;
  /** Stops at the next step boundary and saves a checkpoint (status 'aborted'). */
  signal?: AbortSignal;
  /** Where checkpoints go: at every epoch end and on abort. */
  checkpoints?: CheckpointStore;
  /** Continue from the store's checkpoint, if it holds one. */
  resume?: boolean;
  onStep?: (e: StepEvent) => void;
  /**
   * After each epoch, before its checkpoint. May return a promise: training waits for it, so it
   * can read the weights (e.g. `await saveWeights(model)`) before the next step changes them.
   */
  onEpoch?: ((m: EpochMetrics) => void) | ((m: EpochMetrics) => Promise<void>);
  /**
   * With onLoss: every this many steps (default 5), start an asynchronous read of the running
   * loss; the loop does not wait for it, and onLoss gets the value when it arrives (always
   * within the same epoch, before onEpoch).
   */
  lossEvery?: number;
  onLoss?: (e: LossEvent) => void;
  /** After each epoch's test evaluation, with its confusion matrix and per-class accuracy. */
  onEvaluate?: (r: EvaluateResult, epoch: number) => void;
  /** Once, when a checkpoint was loaded to resume from: where the run continues, and its history. */
  onResume?: (r: ResumeInfo) => void;
}

export interface ResumeInfo {
  /** 0-based epoch the run continues in (= epochs completed). */
  epoch: number;
  /** Steps of that epoch already taken. */
  step: number;
  stepsPerEpoch: number;
  /** The epochs the checkpoint records (the source of truth for metrics files). */
  history: EpochMetrics[];
  /** Where the checkpoint came from (the store's location). */
  source: string;
}

export interface TrainResult {
  history: EpochMetrics[];
  status: 'completed' | 'aborted';
  /** Epochs completed. */
  epoch: number;
  /** Steps done in the interrupted epoch (0 when completed). */
  step: number;
  /** Total optimizer steps taken, across resumes. */
  globalStep: number;
}

export interface EvaluateOptions {
  batchSize?: number;
  inputSize?: number;
  normalize?: boolean | { mean: number; std: number };
}

export interface EvaluateResult {
  accuracy: number;
  correct: number;
  total: number;
  /** confusion[true][predicted]. */
  confusion: number[][];
  /** Accuracy of each true class (NaN for a class without examples). */
  perClass: number[];
  /** The predicted class of each example, in dataset order. */
  predictions: Int32Array;
}

/** Everything a run needs to continue exactly where it stopped. JSON-serialisable. */
export interface CheckpointState {
  format: 'convnets-checkpoint';
  version: 1;
  /** Why it was written: the end of an epoch, or an abort at a step boundary. */
  reason: 'epoch' | 'abort';
  /** 0-based epoch to continue in (= epochs completed). */
  epoch: number;
  /** Steps of that epoch already taken (0 at an epoch boundary). */
  step: number;
  globalStep: number;
  /** The interrupted epoch's accumulators (float32 values, restored exactly). */
  partial: { lossSum: number; correct: number; seen: number; trainSeconds: number; seconds: number } | null;
  optimizer: { kind: 'adam' | 'sgd'; step: number; hyper: Record<string, number> };
  /** The generators dropout draws from: core's default Rng and any module's own `rng`. */
  rng: { global: RngState; modules: Record<string, RngState> };
  history: EpochMetrics[];
  /** The settings that must match on resume. */
  config: { seed: number; batchSize: number; optimizer: 'adam' | 'sgd'; trainLength: number; inputSize: number | null };
  savedAt: string;
}

export interface Checkpoint {
  state: CheckpointState;
  /** The model's state_dict (PyTorch names and layouts). */
  weights: Record<string, TensorEntry>;
  /** Optimizer slots, `<param>.exp_avg`, `<param>.exp_avg_sq`, `<param>.momentum_buffer`. */
  optimizer: Record<string, TensorEntry>;
}

/** Where checkpoints live. `load` gives the latest or null; `save` replaces it atomically. */
export interface CheckpointStore {
  /** Where it keeps the checkpoint (a path, for messages). */
  readonly location?: string;
  /** `maxBytes`: refuse a stored checkpoint larger than this (a bound from the model's size). */
  load(limits?: { maxBytes?: number }): Promise<Checkpoint | null>;
  save(checkpoint: Checkpoint): Promise<void>;
}
