/**
 * The training worker: it owns TensorFlow.js (backend, model, data, optimizer) so the page
 * stays responsive. It only composes the packages: core (backends, weights), data (loading),
 * models (createModel, summary) and trainer (presets, train, evaluate, predict).
 */
import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, loadWeights, manualSeed, saveWeights, useBackend, type Module } from '@convnets/core';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_MEAN, FASHION_MNIST_STD, loadFashionMnistFromUrls, resizeBatch, type FashionMnist } from '@convnets/data';
import { MODEL_NAMES, createModel, summary, type ModelName } from '@convnets/models';
import { MemoryCheckpointStore, evaluate, formatEpochLine, getPreset, predict, train, type TrainConfig } from '@convnets/trainer';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendChoice, FromWorker, GalleryItem, ModelView, PresetName, ToWorker, TrainRequest } from './protocol.js';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

// Chromium can collect a worker's GPU instance while tfjs's device still uses it ("A valid
// external Instance reference no longer exists"): hold navigator.gpu for the worker's lifetime.
const keepAlive = { navigator: self.navigator, gpu: (self.navigator as Navigator & { gpu?: unknown }).gpu };
(globalThis as unknown as { __convnetsGpu: typeof keepAlive }).__convnetsGpu = keepAlive;
const post = (m: FromWorker, transfer?: Transferable[]) => scope.postMessage(m, transfer ?? []);

const PRESETS: PresetName[] = ['quick', 'seed', 'book'];
const GALLERY_SIZE = 24;

interface Session {
  name: ModelName;
  preset: PresetName;
  config: TrainConfig;
  model: Module;
  /** The trainer's checkpoints, kept in memory: Stop then Resume continues the run. */
  checkpoints: MemoryCheckpointStore;
  lastRequest?: TrainRequest;
}

let session: Session | undefined;
let controller: AbortController | undefined;
let busy = false;
const datasets = new Map<string, Promise<FashionMnist>>();

function asModelName(name: string): ModelName {
  if (!(MODEL_NAMES as readonly string[]).includes(name)) throw new Error(`Unknown model "${name}": choose one of ${MODEL_NAMES.join(', ')}`);
  return name as ModelName;
}

function dataBaseUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}data/fashion-mnist/`, self.location.origin).href;
}

function loadSplit(split: 'train' | 'test', limit: number): Promise<FashionMnist> {
  const key = `${split}:${limit}`;
  let p = datasets.get(key);
  if (!p) {
    p = loadFashionMnistFromUrls({ split, baseUrl: dataBaseUrl(), limit: limit > 0 ? limit : undefined });
    p.catch(() => datasets.delete(key));
    datasets.set(key, p);
  }
  return p;
}

function status(text: string) {
  post({ type: 'status', text, busy });
}

/** Builds the preset's network; `over` carries what a weights file says it was trained with. */
function build(name: ModelName, preset: PresetName, over: { inputSize?: number; modelOptions?: Record<string, unknown> } = {}): Session {
  const base = getPreset(name, preset);
  const config: TrainConfig = { ...base, inputSize: over.inputSize ?? base.inputSize, modelOptions: { ...(base.modelOptions ?? {}), ...(over.modelOptions ?? {}) } };
  // Weights start as the trainer would start them (it re-initialises with init 'xavier' on a fresh run).
  manualSeed(0);
  const model = createModel(name, { ...config.modelOptions, inputSize: config.inputSize });
  session?.model.dispose();
  return { name, preset, config, model, checkpoints: new MemoryCheckpointStore() };
}

function describe(s: Session): ModelView {
  const table = summary(s.model, { inputSize: s.config.inputSize, inChannels: 1 });
  const c = s.config;
  return {
    model: s.name,
    preset: s.preset,
    inputShape: table.inputShape,
    params: table.params,
    layers: table.layers.map((l) => ({ name: l.name, type: l.type, outputShape: l.outputShape, params: l.params })),
    config: { epochs: c.epochs, batchSize: c.batchSize, lr: c.lr, optimizer: c.optimizer, inputSize: c.inputSize, why: c.why },
  };
}

/** The preset's per-image normalisation, as the data package applies it in batches. */
function normalization(c: TrainConfig): { mean: number; std: number } | null {
  const n = (c as { normalize?: boolean | { mean: number; std: number } }).normalize;
  if (n === true) return { mean: FASHION_MNIST_MEAN, std: FASHION_MNIST_STD };
  return n || null;
}

/** [N,28,28] pixels in 0..1 → probabilities, preprocessed exactly as in training. */
async function probabilities(s: Session, images: Float32Array, n: number): Promise<number[][]> {
  const probs = tf.tidy(() => {
    let x = tf.tensor4d(images, [n, 28, 28, 1]);
    if (s.config.inputSize !== 28) x = resizeBatch(x, s.config.inputSize);
    const norm = normalization(s.config);
    if (norm) x = tf.div(tf.sub(x, norm.mean), norm.std);
    return predict(s.model, x);
  });
  // Async read-back: WebGPU has no synchronous download of GPU-resident tensors.
  const data = (await probs.array()) as number[][];
  probs.dispose();
  return data;
}

async function results(s: Session, test: FashionMnist): Promise<void> {
  status('Evaluating on the test set…');
  const ev = await evaluate(s.model, test, { batchSize: s.lastRequest?.batchSize ?? 256, inputSize: s.config.inputSize, normalize: normalization(s.config) ?? undefined });
  const n = Math.min(GALLERY_SIZE, test.length);
  const images = new Float32Array(n * 784);
  for (let i = 0; i < n; i++) {
    const px = test.image(i);
    for (let j = 0; j < 784; j++) images[i * 784 + j] = px[j] / 255;
  }
  const probs = await probabilities(s, images, n);
  const gallery: GalleryItem[] = [];
  for (let i = 0; i < n; i++) {
    const p = probs[i];
    const pred = p.indexOf(Math.max(...p));
    gallery.push({ pixels: test.image(i).slice(), label: test.labels[i], pred, prob: p[pred] });
  }
  post({ type: 'results', accuracy: ev.accuracy, total: ev.total, confusion: ev.confusion, gallery });
}

async function runTraining(req: TrainRequest): Promise<void> {
  const fresh = !req.resume || !session || session.name !== req.model || session.preset !== req.preset;
  if (fresh) {
    session = build(asModelName(req.model), req.preset);
    post({ type: 'model', view: describe(session) });
  }
  const cur = session as Session;
  const lastRequest = !fresh && cur.lastRequest ? cur.lastRequest : req;
  cur.lastRequest = lastRequest;
  status('Loading Fashion-MNIST…');
  const [trainSet, testSet] = await Promise.all([loadSplit('train', lastRequest.limitTrain), loadSplit('test', lastRequest.limitTest)]);
  post({ type: 'data', train: trainSet.length, test: testSet.length, source: trainSet.source.url ?? trainSet.source.kind });
  controller = new AbortController();
  status(!fresh ? 'Resuming…' : 'Training… (the first steps compile the kernels)');
  const { why: _why, modelOptions: _mo, reference: _ref, limitTrain: _lt, limitTest: _ls, ...recipe } = cur.config;
  const result = await train(cur.model, { train: trainSet, test: testSet }, {
    ...recipe,
    epochs: lastRequest.epochs,
    batchSize: lastRequest.batchSize,
    lr: lastRequest.lr,
    seed: 0,
    syncEvery: 1,
    signal: controller.signal,
    checkpoints: cur.checkpoints,
    resume: !fresh,
    onStep: (e) => {
      // Resume-safe: the position in the run, not a count of events.
      const globalStep = (e.epoch - 1) * e.stepsPerEpoch + e.step;
      post({ type: 'step', epoch: e.epoch, step: e.step, globalStep, stepsPerEpoch: e.stepsPerEpoch, loss: e.loss, acc: e.trainAcc, examplesPerSec: e.examplesPerSec, lr: e.lr });
    },
    onEpoch: (m) => {
      post({ type: 'epoch', ...m, line: formatEpochLine(m) });
    },
  });
  controller = undefined;
  // A stopped run is evaluated when it completes (each epoch's test accuracy is in the log).
  if (result.status === 'completed') await results(cur, testSet);
  // Last: once the page hears 'done' it may send the next 'train' (Resume), and this run is over.
  post({ type: 'done', status: result.status, epoch: result.epoch, canResume: result.status === 'aborted' });
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init': {
      status('Starting TensorFlow.js…');
      const wasmPaths = {
        'tfjs-backend-wasm.wasm': wasmUrl,
        'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
      };
      // In the page any WebGPU adapter is welcome, the software one (SwiftShader) included.
      const info = await useBackend(msg.backend as BackendChoice, { allowFallbackAdapter: true, wasmPaths });
      post({ type: 'ready', backend: info, models: [...MODEL_NAMES], presets: PRESETS, classes: [...FASHION_MNIST_CLASSES] });
      return;
    }
    case 'select': {
      session = build(asModelName(msg.model), msg.preset);
      post({ type: 'model', view: describe(session) });
      return;
    }
    case 'train': {
      if (busy) throw new Error('Already training: stop the current run first.');
      busy = true;
      try {
        await runTraining(msg.request);
      } finally {
        busy = false;
      }
      return;
    }
    case 'stop': {
      controller?.abort();
      return;
    }
    case 'predict': {
      if (!session) throw new Error('No model yet: pick a model first.');
      const [probs] = await probabilities(session, msg.pixels, 1);
      post({ type: 'prediction', id: msg.id, probs });
      return;
    }
    case 'save': {
      if (!session) throw new Error('No model to save.');
      const s = session;
      const bytes = await saveWeights(s.model, { model: s.name, preset: s.preset, inputSize: String(s.config.inputSize), modelOptions: JSON.stringify(s.config.modelOptions ?? {}) });
      post({ type: 'saved', bytes, fileName: `${s.name}-${s.preset}.safetensors` }, [bytes.buffer as ArrayBuffer]);
      return;
    }
    case 'load': {
      if (busy) throw new Error('Stop training before loading weights.');
      const { metadata, tensors } = decodeSafetensors(msg.bytes, msg.fileName);
      const name = metadata.model && (MODEL_NAMES as readonly string[]).includes(metadata.model) ? (metadata.model as ModelName) : session?.name ?? 'lenet';
      const preset = PRESETS.includes(metadata.preset as PresetName) ? (metadata.preset as PresetName) : session?.preset ?? 'quick';
      const inputSize = Number(metadata.inputSize) > 0 ? Number(metadata.inputSize) : undefined;
      let modelOptions: Record<string, unknown> | undefined;
      try {
        modelOptions = metadata.modelOptions ? (JSON.parse(metadata.modelOptions) as Record<string, unknown>) : undefined;
      } catch {
        modelOptions = undefined;
      }
      session = build(name, preset, { inputSize, modelOptions });
      loadWeights(session.model, msg.bytes, msg.fileName);
      post({ type: 'model', view: describe(session) });
      post({ type: 'loaded', fileName: msg.fileName, model: name, preset, tensors: Object.keys(tensors).length });
      return;
    }
  }
}

scope.onmessage = (e) => {
  const msg = e.data;
  handle(msg).catch((err: unknown) => {
    busy = msg.type === 'train' ? false : busy;
    post({ type: 'error', message: err instanceof Error ? err.message : String(err), during: msg.type });
  });
};
