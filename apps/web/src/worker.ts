/**
 * The training worker: it owns TensorFlow.js (backend, model, data, optimizer) so the page
 * stays responsive. It only composes the packages: core (backends, weights), data (loading),
 * models (createModel, summary) and trainer (presets, train, evaluate, predict).
 */
import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, loadStateDict, loadWeights, manualSeed, saveWeights, throwIfDeviceErrors, type Module } from '@convnets/core';
import { asGpuDeviceLost, useBackend, type GpuDeviceLostError } from '@convnets/backends';
import { DownloadError, FASHION_MNIST_CLASSES, FASHION_MNIST_MEAN, FASHION_MNIST_STD, loadFashionMnistFromUrls, resizeBatch, type FashionMnist } from '@convnets/data';
import { MODEL_NAMES, createModel, summary, type ModelName, type SummaryInput } from '@convnets/models';
import { MemoryCheckpointStore, evaluate, formatEpochLine, getPreset, predict, train, type TrainConfig } from '@convnets/trainer';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { activations } from './activations.js';
import type { BackendChoice, FromWorker, GalleryItem, ModelView, PresetName, ToWorker, TrainRequest } from './protocol.js';
import { StepLoss } from './step_loss.js';

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

const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
};
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
  /** False while the weights are the initial random ones (no step trained, nothing loaded). */
  trained: boolean;
}

let session: Session | undefined;
let controller: AbortController | undefined;
let busy = false;
/** The test image the activation view shows, and the test subset it comes from. */
const activationView = { image: 0, limitTest: 0, lastPost: 0, inFlight: false, again: false };
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
    p = loadFashionMnistFromUrls({ split, baseUrl: dataBaseUrl(), limit: limit > 0 ? limit : undefined }).catch((e: unknown) => {
      throw e instanceof DownloadError ? new Error(dataHint(e.message)) : e;
    });
    p.catch(() => datasets.delete(key));
    datasets.set(key, p);
  }
  return p;
}

/** A failed download names what to install: the dev/preview server serves the files from disk. */
function dataHint(message: string): string {
  return (
    `Could not load Fashion-MNIST: ${message}. The demo's server (vite dev / vite preview) serves it from disk: ` +
    'install it (apt-get install dataset-fashion-mnist, into /usr/share/datasets/fashion-mnist) or set FASHION_MNIST_DIR to a folder ' +
    'with the four files, then restart the server.'
  );
}

function status(text: string) {
  post({ type: 'status', text, busy });
}

/** Makes `next` the session, disposing the network it replaces. */
function replaceSession(next: Session): Session {
  if (session && session !== next) session.model.dispose();
  session = next;
  return next;
}

/** Builds the preset's network; `over` carries what a weights file says it was trained with. */
function build(name: ModelName, preset: PresetName, over: { inputSize?: number; modelOptions?: Record<string, unknown> } = {}): Session {
  const base = getPreset(name, preset);
  const config: TrainConfig = { ...base, inputSize: over.inputSize ?? base.inputSize, modelOptions: { ...(base.modelOptions ?? {}), ...(over.modelOptions ?? {}) } };
  // Weights start as the trainer would start them (it re-initialises with init 'xavier' on a fresh run).
  manualSeed(0);
  const model = createModel(name, { ...config.modelOptions, inputSize: config.inputSize });
  return { name, preset, config, model, checkpoints: new MemoryCheckpointStore(), trained: false };
}

/** The table's walk: each block's row, then every layer inside it one level deeper (foldable). */
function architectureRows(model: Module, input: SummaryInput): ModelView['layers'] {
  const layers = summary(model, input, { expand: true }).layers;
  return summary(model, input).layers.flatMap((block) => [
    { ...block, depth: 0 },
    ...layers.filter((l) => l.name.startsWith(`${block.name}.`)).map((l) => ({ ...l, depth: l.depth ?? 1 })),
  ]);
}

function describe(s: Session): ModelView {
  const input = { inputSize: s.config.inputSize, inChannels: 1 };
  const table = summary(s.model, input);
  const c = s.config;
  return {
    model: s.name,
    preset: s.preset,
    inputShape: table.inputShape,
    params: table.params,
    layers: architectureRows(s.model, input).map((l) => ({ name: l.name, type: l.type, outputShape: l.outputShape, params: l.params, depth: l.depth })),
    config: { limitTrain: c.limitTrain, limitTest: c.limitTest, epochs: c.epochs, batchSize: c.batchSize, lr: c.lr, optimizer: c.optimizer, inputSize: c.inputSize, why: c.why },
  };
}

/** The preset's per-image normalisation, as the data package applies it in batches. */
function normalization(c: TrainConfig): { mean: number; std: number } | null {
  const n = (c as { normalize?: boolean | { mean: number; std: number } }).normalize;
  if (n === true) return { mean: FASHION_MNIST_MEAN, std: FASHION_MNIST_STD };
  return n || null;
}

/** [N,28,28] pixels in 0..1 → the network's input, preprocessed exactly as in training. */
function preprocess(s: Session, images: Float32Array, n: number): tf.Tensor4D {
  return tf.tidy(() => {
    let x = tf.tensor4d(images, [n, 28, 28, 1]);
    if (s.config.inputSize !== 28) x = resizeBatch(x, s.config.inputSize);
    const norm = normalization(s.config);
    if (norm) x = tf.div(tf.sub(x, norm.mean), norm.std);
    return x;
  });
}

/** [N,28,28] pixels in 0..1 → probabilities, preprocessed exactly as in training. */
async function probabilities(s: Session, images: Float32Array, n: number): Promise<number[][]> {
  const probs = tf.tidy(() => predict(s.model, preprocess(s, images, n)));
  // Async read-back: WebGPU has no synchronous download of GPU-resident tensors.
  const data = (await probs.array()) as number[][];
  probs.dispose();
  throwIfDeviceErrors();
  return data;
}

/** Posts the activation maps of the chosen test image for the session's network as it is now. */
async function postActivations(s: Session): Promise<void> {
  if (activationView.inFlight) {
    activationView.again = true; // a newer choice arrived: draw again once this one is out
    return;
  }
  activationView.inFlight = true;
  activationView.again = false;
  try {
    const test = await loadSplit('test', activationView.limitTest);
    if (session !== s) return; // another network replaced (and disposed) this one meanwhile
    const image = Math.min(activationView.image, test.length - 1);
    const px = test.image(image);
    const x = preprocess(s, Float32Array.from(px, (v) => v / 255), 1);
    try {
      const view = await activations(s.model, x, image, px.slice());
      if (session === s) post(view); // else a newer network's view follows
    } finally {
      x.dispose();
    }
  } finally {
    activationView.inFlight = false;
    activationView.lastPost = performance.now();
  }
  if (activationView.again && session === s) await postActivations(s);
}

/** While training: at most one activation update every few seconds, never blocking a step. */
const ACTIVATIONS_EVERY_MS = 3000;
function maybePostActivations(s: Session): void {
  if (activationView.inFlight || performance.now() - activationView.lastPost < ACTIVATIONS_EVERY_MS) return;
  postActivations(s).catch((e: unknown) => fail(e, 'activations'));
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
    replaceSession(build(asModelName(req.model), req.preset));
    post({ type: 'model', view: describe(session as Session), trained: false });
  }
  const cur = session as Session;
  const lastRequest = !fresh && cur.lastRequest ? cur.lastRequest : req;
  cur.lastRequest = lastRequest;
  status('Loading Fashion-MNIST…');
  // The page's data choice, or the preset's subset (the larger networks' quick runs use 10,000–20,000 examples).
  const limitTrain = lastRequest.limitTrain ?? cur.config.limitTrain ?? 0;
  const limitTest = lastRequest.limitTest ?? cur.config.limitTest ?? 0;
  const [trainSet, testSet] = await Promise.all([loadSplit('train', limitTrain), loadSplit('test', limitTest)]);
  post({ type: 'data', train: trainSet.length, test: testSet.length, source: trainSet.source.url ?? trainSet.source.kind });
  controller = new AbortController();
  status(!fresh ? 'Resuming…' : 'Training… (the first steps compile the kernels)');
  const stepLoss = new StepLoss();
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
      cur.trained = true;
      post({ type: 'step', epoch: e.epoch, step: e.step, globalStep, stepsPerEpoch: e.stepsPerEpoch, loss: e.loss, stepLoss: stepLoss.next(e.epoch, e.step, e.loss), acc: e.trainAcc, examplesPerSec: e.examplesPerSec, lr: e.lr });
      maybePostActivations(cur);
    },
    onEpoch: (m) => {
      post({ type: 'epoch', ...m, line: formatEpochLine(m) });
      maybePostActivations(cur);
    },
  });
  controller = undefined;
  // A stopped run is evaluated when it completes (each epoch's test accuracy is in the log).
  if (result.status === 'completed') await results(cur, testSet);
  await postActivations(cur);
  // Last: once the page hears 'done' it may send the next 'train' (Resume), and this run is over.
  post({ type: 'done', status: result.status, epoch: result.epoch, canResume: result.status === 'aborted' });
}

let movingToWasm: Promise<void> | undefined;

/**
 * An error from a message or from work in the background goes to the page, but for a lost GPU
 * device: the training step, the activation view and the read in flight all fail on it at
 * once, and the worker moves to wasm once.
 */
async function fail(err: unknown, during: string): Promise<void> {
  try {
    const lost = await asGpuDeviceLost(err);
    if (lost) return await (movingToWasm ??= moveToWasm(lost));
  } catch (e) {
    err = e;
  }
  post({ type: 'error', message: err instanceof Error ? err.message : String(err), during });
}

/**
 * After the GPU device is lost (a driver reset, a crashed GPU process, the browser reclaiming
 * it), tfjs moves to wasm and the network is rebuilt there from the run's last checkpoint (kept
 * in memory as bytes, so it outlives the device): Resume goes on from the last finished epoch.
 */
async function moveToWasm(lost: GpuDeviceLostError): Promise<void> {
  const backend = await useBackend('wasm', { wasmPaths: WASM_PATHS });
  const s = session;
  let at = { epoch: 0, step: 0 };
  if (s) {
    const saved = await s.checkpoints.load();
    const rebuilt = build(s.name, s.preset, { inputSize: s.config.inputSize, modelOptions: s.config.modelOptions });
    const next: Session = { ...rebuilt, checkpoints: s.checkpoints, lastRequest: s.lastRequest, trained: saved !== null };
    if (saved) {
      loadStateDict(next.model, saved.weights, 'the in-memory checkpoint');
      at = { epoch: saved.state.epoch, step: saved.state.step };
    }
    try {
      s.model.dispose();
    } catch {
      // Its tensors lived on the lost device; tfjs forgets them either way.
    }
    session = next;
  }
  post({ type: 'backend-lost', message: lost.message, backend, ...at, canResume: s?.checkpoints.bytes != null });
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init': {
      status('Starting TensorFlow.js…');
      // auto skips software adapters and renderers (SwiftShader, llvmpipe): wasm trains faster than
      // they do. Chosen by name, they run.
      const info = await useBackend(msg.backend as BackendChoice, { wasmPaths: WASM_PATHS });
      post({ type: 'ready', backend: info, models: [...MODEL_NAMES], presets: PRESETS, classes: [...FASHION_MNIST_CLASSES] });
      return;
    }
    case 'select': {
      const next = replaceSession(build(asModelName(msg.model), msg.preset));
      post({ type: 'model', view: describe(next), trained: false });
      return;
    }
    case 'activations': {
      activationView.image = msg.image;
      activationView.limitTest = msg.limitTest ?? session?.config.limitTest ?? 0;
      if (session) await postActivations(session);
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
      post({ type: 'prediction', id: msg.id, probs, trained: session.trained });
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
      const loaded = build(name, preset, { inputSize, modelOptions });
      try {
        loadWeights(loaded.model, msg.bytes, msg.fileName);
      } catch (e) {
        loaded.model.dispose();
        throw e;
      }
      replaceSession(loaded);
      loaded.trained = true;
      post({ type: 'model', view: describe(loaded), trained: true });
      post({ type: 'loaded', fileName: msg.fileName, model: name, preset, tensors: Object.keys(tensors).length });
      // Loaded weights are evaluated as a finished run is: accuracy, gallery, confusion matrix.
      busy = true;
      try {
        await results(loaded, await loadSplit('test', msg.limitTest ?? loaded.config.limitTest ?? 0));
        await postActivations(loaded);
      } finally {
        busy = false;
      }
      post({ type: 'status', text: `Loaded ${msg.fileName}: evaluated on the test set.`, busy });
      return;
    }
  }
}

scope.onmessage = (e) => {
  const msg = e.data;
  handle(msg).catch((err: unknown) => {
    busy = msg.type === 'train' ? false : busy;
    return fail(err, msg.type);
  });
};
