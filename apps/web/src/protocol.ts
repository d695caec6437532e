/** Typed messages between the page (main.ts) and the training worker (worker.ts). */
import type { BackendInfo, BackendName } from '@convnets/backends';
import type { EpochMetrics, PresetName } from '@convnets/trainer';

export type { PresetName };
export type BackendChoice = 'auto' | Exclude<BackendName, 'tensorflow'>;
export type BackendReport = BackendInfo;

/** What the page shows about a preset before training. */
export interface PresetView {
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
  /** Train examples (stratified subset); 0 = all 60 000. */
  limitTrain: number;
  limitTest: number;
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
  loss?: number;
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

export type ToWorker =
  | { type: 'init'; backend: BackendChoice }
  | { type: 'select'; model: string; preset: PresetName }
  | { type: 'train'; request: TrainRequest }
  | { type: 'stop' }
  | { type: 'predict'; id: number; pixels: Float32Array }
  | { type: 'save' }
  | { type: 'load'; bytes: Uint8Array; fileName: string };

export type FromWorker =
  | { type: 'ready'; backend: BackendReport; models: string[]; presets: PresetName[]; classes: string[] }
  | { type: 'model'; view: ModelView }
  | { type: 'status'; text: string; busy: boolean }
  | { type: 'data'; train: number; test: number; source: string }
  | StepMsg
  | EpochMsg
  | { type: 'done'; status: 'completed' | 'aborted'; epoch: number; canResume: boolean }
  | ResultsMsg
  | { type: 'prediction'; id: number; probs: number[] }
  | { type: 'saved'; bytes: Uint8Array; fileName: string }
  | { type: 'loaded'; fileName: string; model: string; preset: PresetName; tensors: number }
  | { type: 'error'; message: string; during: string };
