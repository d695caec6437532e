/** Typed messages between the page (main.ts) and the training worker (worker.ts). */
import type { BackendInfo, BackendName } from '@convnets/backends';
import type { EpochMetrics, PresetName } from '@convnets/trainer';

export type { PresetName };
export type BackendChoice = 'auto' | Exclude<BackendName, 'tensorflow'>;
export type BackendReport = BackendInfo;

/** What the page shows about a preset before training. */
export interface PresetView {
  /** Train/test examples the preset trains on (stratified subsets); absent: all of them. */
  limitTrain?: number;
  limitTest?: number;
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: string;
  inputSize: number;
  why: string;
}

export interface SummaryRow {
  name: string;
  type: string;
  outputShape: number[];
  params: number;
  /** 0: a top-level block; 1 and more: a layer inside it (the row after its block's). */
  depth: number;
}

export interface ModelView {
  model: string;
  preset: PresetName;
  inputShape: number[];
  params: number;
  layers: SummaryRow[];
  config: PresetView;
}

export interface TrainRequest {
  model: string;
  preset: PresetName;
  /** Train examples (stratified subset); 0 = all 60 000; absent: the preset's. */
  limitTrain?: number;
  limitTest?: number;
  epochs: number;
  batchSize: number;
  lr: number;
  /** Continue from the last checkpoint of this model instead of starting over. */
  resume: boolean;
}

export interface StepMsg {
  type: 'step';
  epoch: number;
  step: number;
  globalStep: number;
  stepsPerEpoch: number;
  /** The epoch's running mean loss (what the trainer reports). */
  loss?: number;
  /** The mean loss of the steps since the last report: with a report every step, that step's loss. */
  stepLoss?: number;
  acc?: number;
  examplesPerSec: number;
  lr: number;
}

export interface EpochMsg extends EpochMetrics {
  type: 'epoch';
  line: string;
}

export interface GalleryItem {
  pixels: Uint8Array;
  label: number;
  pred: number;
  prob: number;
}

export interface ResultsMsg {
  type: 'results';
  accuracy: number;
  total: number;
  confusion: number[][];
  gallery: GalleryItem[];
}

/** One layer's output for one image, as grayscale maps (0..255), channels first. */
export interface ActivationLayer {
  name: string;
  type: string;
  /** The layer's full output shape, NCHW. */
  shape: number[];
  /** How many maps are drawn (at most MAX_MAPS channels; a vector is one 1×F strip). */
  maps: number;
  height: number;
  width: number;
  pixels: Uint8Array;
}

export interface ActivationsMsg {
  type: 'activations';
  /** Which test image (index into the test set), and its 28×28 pixels (0..255). */
  image: number;
  input: Uint8Array;
  layers: ActivationLayer[];
  /** The first convolution's filters on its first input channel (mid-gray = 0). */
  filters?: { maps: number; height: number; width: number; pixels: Uint8Array };
  /** Each weight tensor's histogram (bin counts over [min, max]), from at most `sampled` of its `size` values. */
  histograms: { name: string; size: number; sampled: number; min: number; max: number; counts: number[] }[];
}

export type ToWorker =
  | { type: 'init'; backend: BackendChoice }
  | { type: 'select'; model: string; preset: PresetName }
  | { type: 'train'; request: TrainRequest }
  | { type: 'stop' }
  | { type: 'predict'; id: number; pixels: Float32Array }
  | { type: 'save' }
  /** `limitTest`: the test examples to evaluate the loaded weights on (0 = all; absent: the preset's). */
  | { type: 'load'; bytes: Uint8Array; fileName: string; limitTest?: number }
  /** Which test image the activation view shows (it updates while training). */
  | { type: 'activations'; image: number; limitTest?: number };

export type FromWorker =
  | { type: 'ready'; backend: BackendReport; models: string[]; presets: PresetName[]; classes: string[] }
  | { type: 'model'; view: ModelView; trained: boolean }
  | { type: 'status'; text: string; busy: boolean }
  | { type: 'data'; train: number; test: number; source: string }
  | StepMsg
  | EpochMsg
  | { type: 'done'; status: 'completed' | 'aborted'; epoch: number; canResume: boolean }
  | ResultsMsg
  /** `trained`: false while the network still has its initial random weights. */
  | { type: 'prediction'; id: number; probs: number[]; trained: boolean }
  | ActivationsMsg
  | { type: 'saved'; bytes: Uint8Array; fileName: string }
  | { type: 'loaded'; fileName: string; model: string; preset: PresetName; tensors: number }
  | { type: 'error'; message: string; during: string }
  /** The GPU device was lost: tfjs is now on `backend` (wasm); Resume starts from the checkpoint's `epoch` (finished) and `step`. */
  | { type: 'backend-lost'; message: string; backend: BackendReport; epoch: number; step: number; canResume: boolean };
