/**
 * The page: controls, live charts, results and the drawing pad. It holds no model math: the
 * worker (worker.ts) owns TensorFlow.js and the packages; the page sends typed messages.
 */
import './style.css';
import { TrainingCharts } from './ui/charts.js';
import { DrawPad, toGray28, type InvertMode } from './ui/draw.js';
import { card, clear, field, fmtInt, h, option, paintPixels } from './ui/dom.js';
import type { BackendChoice, BackendReport, EpochMsg, FromWorker, ModelView, PresetName, ResultsMsg, StepMsg, ToWorker } from './protocol.js';

const params = new URLSearchParams(location.search);
const BACKENDS: BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];
const BACKEND_LABEL: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU', tensorflow: 'TensorFlow' };
const SUBSETS: { value: string; label: string; train: number; test: number }[] = [
  { value: '500', label: '500 train · 200 test (seconds)', train: 500, test: 200 },
  { value: '1000', label: '1k train · 500 test', train: 1000, test: 500 },
  { value: '5000', label: '5k train · 1k test', train: 5000, test: 1000 },
  { value: '20000', label: '20k train · 2k test', train: 20000, test: 2000 },
  { value: '0', label: 'Full · 60k train · 10k test', train: 0, test: 0 },
];

/** What the e2e tests (and the curious) can read: window.__demo. */
interface DemoState {
  backend?: BackendReport;
  losses: number[];
  epochs: EpochMsg[];
  trained: boolean;
  results?: { accuracy: number; total: number };
  /** The latest prediction shown, and `id`: the request it answers. */
  prediction?: { top1: number; probs: number[]; id: number };
  /** The id of the latest prediction requested (a newer one than `prediction.id` is in flight). */
  predictionRequested: number;
  /** Model views shown so far (the worker's answers to 'select' and 'load'). */
  modelViews: number;
  errors: string[];
}
const demo: DemoState = { losses: [], epochs: [], trained: false, predictionRequested: 0, modelViews: 0, errors: [] };
(window as unknown as { __demo: DemoState }).__demo = demo;

let classes: string[] = [];
let view: ModelView | undefined;
let training = false;
let canResume = false;
let predictId = 0;
let totalSteps = 0;

// ---------- worker ----------
let worker: Worker;
function send(m: ToWorker, transfer: Transferable[] = []) {
  worker.postMessage(m, transfer);
}
function startWorker(backend: BackendChoice) {
  worker?.terminate();
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
  worker.onerror = (e) => showError(`worker: ${e.message}`);
  setBackendPill(null);
  send({ type: 'init', backend });
}

// ---------- controls ----------
const modelSelect = h('select', { testid: 'model-select', disabled: true });
const presetSelect = h('select', { testid: 'preset-select' });
for (const p of ['quick', 'seed', 'book'] as PresetName[]) presetSelect.append(option(p, p, p === (params.get('preset') ?? 'quick')));
const subsetSelect = h('select', { testid: 'subset-select' });
for (const s of SUBSETS) subsetSelect.append(option(s.value, s.label, s.value === (params.get('subset') ?? '1000')));
const backendSelect = h('select', { testid: 'backend-select' });
for (const b of BACKENDS) backendSelect.append(option(b, b === 'auto' ? 'auto (fastest available)' : BACKEND_LABEL[b], b === (params.get('backend') ?? 'auto')));
const epochsInput = h('input', { type: 'number', min: 1, max: 100, step: 1, testid: 'epochs-input' });
const batchInput = h('input', { type: 'number', min: 1, max: 1024, step: 1, testid: 'batch-input' });
const lrInput = h('input', { type: 'number', min: 0, step: 'any', testid: 'lr-input' });
const presetWhy = h('p', { class: 'why' });

const trainButton = h('button', { class: 'btn primary', testid: 'train-button', disabled: true }, 'Train');
const stopButton = h('button', { class: 'btn', testid: 'stop-button', disabled: true }, 'Stop');
const resumeButton = h('button', { class: 'btn', testid: 'resume-button', disabled: true }, 'Resume');
const saveButton = h('button', { class: 'btn', testid: 'save-button', disabled: true }, 'Save .safetensors');
const weightsInput = h('input', { type: 'file', accept: '.safetensors', testid: 'weights-input', class: 'visually-hidden', id: 'weights-input' });
const loadLabel = h('label', { class: 'btn', for: 'weights-input' }, 'Load weights…');
const weightsNote = h('p', { class: 'hint', testid: 'weights-note' }, 'Weights trained by the CLI (runs/<model>-<preset>/model.safetensors) load here too.');

const backendPill = h('div', { class: 'pill', testid: 'backend' }, 'starting…');
const backendWhy = h('div', { class: 'backend-why', testid: 'backend-why' });
const statusLine = h('div', { class: 'status', testid: 'status' }, 'Starting TensorFlow.js…');
const errorBox = h('div', { class: 'error', role: 'alert', hidden: true });

// ---------- training card ----------
const stepMetrics = h('div', { class: 'metric-value', testid: 'step-metrics' }, '—');
const epochMetrics = h('div', { class: 'metric-value', testid: 'epoch-metrics' }, '—');
const rateMetric = h('div', { class: 'metric-value', testid: 'rate' }, '—');
const progressBar = h('div', { class: 'progress-bar' });
const progress = h('div', { class: 'progress' }, progressBar);
const lossCanvas = h('canvas');
const accCanvas = h('canvas');
const epochLog = h('ol', { class: 'epoch-log', testid: 'epoch-log' });
const dataNote = h('span', { class: 'muted' });

// ---------- architecture / results / draw ----------
const summaryBox = h('div', { class: 'table-wrap', testid: 'summary' });
const summaryHead = h('p', { class: 'muted' });
const accuracyBadge = h('div', { class: 'big-number', testid: 'test-accuracy' }, '—');
const gallery = h('div', { class: 'gallery', testid: 'gallery' }, h('p', { class: 'empty' }, 'Train a model (or load weights) to see its predictions on test images.'));
const confusionBox = h('div', { class: 'confusion-wrap', testid: 'confusion' });
const pad = new DrawPad(280, () => predictFromPad());
pad.canvas.dataset.testid = 'draw-canvas';
pad.canvas.className = 'pad';
const preview = h('canvas', { class: 'preview', width: 28, height: 28, testid: 'preview' });
const invertSelect = h('select', { testid: 'invert-select' });
for (const [v, t] of [
  ['auto', 'auto (light background → invert)'],
  ['on', 'always invert'],
  ['off', 'never invert'],
] as const)
  invertSelect.append(option(v, t, v === 'auto'));
const imageInput = h('input', { type: 'file', accept: 'image/*', testid: 'image-input', class: 'visually-hidden', id: 'image-input' });
const predictionBox = h('div', { class: 'prediction', testid: 'prediction' }, h('p', { class: 'empty' }, 'Draw an item (light on dark) or upload a picture.'));

const charts = new TrainingCharts(lossCanvas, accCanvas);

function metric(label: string, value: HTMLElement): HTMLElement {
  return h('div', { class: 'metric' }, h('div', { class: 'metric-label' }, label), value);
}

function layout() {
  const app = document.getElementById('app');
  if (!app) throw new Error('#app missing');
  const setup = card(
    'Setup',
    'Pick a network from the chapter and a training preset.',
    h('div', { class: 'fields' }, field('Model', modelSelect), field('Preset', presetSelect), presetWhy, field('Training data', subsetSelect), h('div', { class: 'row3' }, field('Epochs', epochsInput), field('Batch', batchInput), field('Learning rate', lrInput)), field('Backend', backendSelect)),
    h('div', { class: 'buttons' }, trainButton, stopButton, resumeButton),
    statusLine,
    errorBox,
  );
  const weights = card('Weights', 'PyTorch-compatible safetensors, interchangeable with the CLI.', h('div', { class: 'buttons' }, saveButton, loadLabel, weightsInput), weightsNote);
  const trainingCard = card(
    'Training',
    null,
    h('div', { class: 'metrics' }, metric('Step', stepMetrics), metric('Last epoch', epochMetrics), metric('Throughput', rateMetric)),
    progress,
    h('div', { class: 'charts' }, h('figure', { class: 'chart' }, h('figcaption', {}, 'Loss'), h('div', { class: 'chart-box' }, lossCanvas)), h('figure', { class: 'chart' }, h('figcaption', {}, 'Accuracy'), h('div', { class: 'chart-box' }, accCanvas))),
    h('div', { class: 'log-head' }, h('h3', {}, 'Epochs'), dataNote),
    epochLog,
  );
  const results = card('Results on the test set', 'Predicted label first; mistakes are marked in red.', h('div', { class: 'results' }, h('div', { class: 'results-left' }, h('div', { class: 'metric-label' }, 'Test accuracy'), accuracyBadge, gallery), h('div', { class: 'results-right' }, h('h3', {}, 'Confusion matrix'), h('p', { class: 'hint' }, 'Rows: true class · columns: predicted'), confusionBox)));
  const tryIt = card(
    'Try it',
    'Draw a piece of clothing or upload a photo: it becomes 28×28 grayscale, light item on a dark background.',
    h(
      'div',
      { class: 'tryit' },
      h(
        'div',
        { class: 'pad-col' },
        pad.canvas,
        h('div', { class: 'buttons' }, h('button', { class: 'btn', onclick: () => (pad.clear(), clearPrediction()) }, 'Clear'), h('label', { class: 'btn', for: 'image-input' }, 'Upload image…'), imageInput),
        field('Inversion for uploads', invertSelect),
      ),
      h('div', { class: 'pred-col' }, h('div', { class: 'preview-row' }, preview, h('span', { class: 'hint' }, 'What the network sees (28×28)')), predictionBox),
    ),
  );
  const arch = card('Architecture', 'Output shape of each block for one image (N, C, H, W), as the seed prints with named_children.', summaryHead, summaryBox);

  app.append(
    h('header', { class: 'topbar' }, h('div', { class: 'brand' }, h('h1', {}, 'convnets'), h('p', {}, 'The classic CNNs of ', h('em', {}, 'Dive into Deep Learning'), ', trained on Fashion-MNIST in your browser tab.')), h('div', { class: 'backend-box' }, h('span', { class: 'muted small' }, 'Backend'), backendPill, backendWhy)),
    h('main', { class: 'grid' }, h('div', { class: 'col-left' }, setup, weights), h('div', { class: 'col-main' }, trainingCard)),
    h('div', { class: 'grid2' }, results),
    h('div', { class: 'grid3' }, tryIt, arch),
    h('footer', {}, 'TensorFlow.js 4.22 · the model trains in a Web Worker, so this page stays responsive.'),
  );
}

// ---------- rendering ----------
function setBackendPill(b: BackendReport | null) {
  if (!b) {
    backendPill.textContent = 'starting…';
    backendPill.className = 'pill';
    clear(backendWhy);
    return;
  }
  backendPill.textContent = b.name;
  backendPill.className = `pill on ${b.name}`;
  const adapter = b.adapter ? `${b.adapter.vendor || 'unknown vendor'}${b.adapter.architecture ? ` ${b.adapter.architecture}` : ''}${b.adapter.description ? ` · ${b.adapter.description}` : ''}${b.adapter.isFallback ? ' (software adapter)' : ''}` : '';
  clear(
    backendWhy,
    adapter ? h('div', {}, `Adapter: ${adapter}`) : null,
    ...b.skipped.map((s) => h('div', { class: 'skipped' }, h('b', {}, `${BACKEND_LABEL[s.name] ?? s.name}: `), s.reason)),
    b.skipped.length === 0 ? h('div', {}, b.name === 'webgpu' ? 'The fastest backend is available.' : 'Chosen by you.') : null,
  );
  backendPill.title = b.skipped.map((s) => `${s.name}: ${s.reason}`).join('\n');
}

/**
 * The worker answers a model or preset choice some time later: what the user typed into a
 * field after choosing stays, and the preset's value fills only the fields left alone.
 */
const editedSinceRequest = new Set<HTMLInputElement>();
for (const input of [epochsInput, batchInput, lrInput]) input.addEventListener('input', () => editedSinceRequest.add(input));

function fillUnlessEdited(input: HTMLInputElement, value: string) {
  if (!editedSinceRequest.has(input)) input.value = value;
}

/** Asks the worker for a model view ('select', 'load'); its preset's settings may fill the form again. */
function requestModel(message: ToWorker, transfer?: Transferable[]) {
  editedSinceRequest.clear();
  send(message, transfer);
}

function showModel(v: ModelView) {
  view = v;
  demo.modelViews++;
  if (modelSelect.value !== v.model) modelSelect.value = v.model;
  if (presetSelect.value !== v.preset) presetSelect.value = v.preset;
  const c = v.config;
  if (!training) {
    fillUnlessEdited(epochsInput, params.get('epochs') ?? String(c.epochs));
    fillUnlessEdited(batchInput, params.get('batch') ?? String(c.batchSize));
    fillUnlessEdited(lrInput, params.get('lr') ?? String(c.lr));
  }
  clear(presetWhy, h('b', {}, `${v.preset}: `), `${c.optimizer.toUpperCase()}, lr ${c.lr}, batch ${c.batchSize}, ${c.epochs} epochs, input ${c.inputSize}×${c.inputSize}. `, c.why);
  clear(summaryHead, `${v.model} · input ${JSON.stringify(v.inputShape)} · `, h('b', {}, fmtInt(v.params)), ' parameters');
  const rows = v.layers.map((l) => h('tr', {}, h('td', {}, l.name), h('td', {}, l.type), h('td', { class: 'mono' }, `(${l.outputShape.join(', ')})`), h('td', { class: 'num' }, fmtInt(l.params))));
  clear(summaryBox, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Block'), h('th', {}, 'Type'), h('th', {}, 'Output shape'), h('th', { class: 'num' }, 'Params'))), h('tbody', {}, ...rows)));
  updateButtons();
}

function onStep(m: StepMsg) {
  totalSteps = m.globalStep;
  if (m.loss !== undefined) demo.losses.push(m.loss);
  const epochs = Number(epochsInput.value) || 1;
  stepMetrics.textContent = `step ${m.globalStep} · loss ${m.loss === undefined ? '…' : m.loss.toFixed(3)}`;
  rateMetric.textContent = `${fmtInt(m.examplesPerSec)} img/s`;
  const done = (m.epoch - 1) * m.stepsPerEpoch + m.step;
  progressBar.style.width = `${Math.min(100, (100 * done) / (epochs * m.stepsPerEpoch))}%`;
  charts.step(m.globalStep, m.loss, m.acc);
  statusLine.textContent = `Epoch ${m.epoch}/${epochs} · step ${m.step}/${m.stepsPerEpoch} · lr ${m.lr.toPrecision(3)}`;
}

function onEpoch(m: EpochMsg) {
  demo.epochs.push(m);
  epochMetrics.textContent = `epoch ${m.epoch} · loss ${m.loss.toFixed(3)} · test acc ${(m.testAcc * 100).toFixed(1)}%`;
  charts.epoch(totalSteps, m.loss, m.trainAcc, m.testAcc);
  epochLog.append(h('li', { class: 'mono' }, m.line));
}

function showResults(r: ResultsMsg) {
  demo.results = { accuracy: r.accuracy, total: r.total };
  accuracyBadge.textContent = `${(r.accuracy * 100).toFixed(1)}%`;
  accuracyBadge.title = `${Math.round(r.accuracy * r.total)} of ${r.total} test images`;
  clear(
    gallery,
    ...r.gallery.map((g) => {
      const c = h('canvas', { class: 'thumb' });
      paintPixels(c, g.pixels);
      const ok = g.pred === g.label;
      return h('figure', { class: `tile ${ok ? 'ok' : 'wrong'}`, title: `p = ${(g.prob * 100).toFixed(1)}%` }, c, h('figcaption', {}, h('span', { class: 'pred' }, classes[g.pred]), h('span', { class: 'true' }, ok ? '✓ correct' : `✗ true: ${classes[g.label]}`)));
    }),
  );
  const max = Math.max(1, ...r.confusion.flat());
  const short = classes.map((c) => c.split('/')[0]);
  const table = h('table', { class: 'confusion' }, h('thead', {}, h('tr', {}, h('th', {}), ...short.map((c) => h('th', { class: 'col' }, h('span', {}, c))))));
  const body = h('tbody');
  r.confusion.forEach((row, i) => {
    body.append(
      h(
        'tr',
        {},
        h('th', { class: 'rowh' }, short[i]),
        ...row.map((v, j) => {
          const a = v / max;
          const td = h('td', { title: `true ${classes[i]}, predicted ${classes[j]}: ${v}` }, v ? String(v) : '');
          td.style.background = i === j ? `rgba(31, 79, 209, ${0.08 + 0.85 * a})` : v ? `rgba(224, 96, 43, ${0.1 + 0.8 * a})` : '';
          if (a > 0.55) td.style.color = '#fff';
          return td;
        }),
      ),
    );
  });
  table.append(body);
  clear(confusionBox, table);
}

function showPrediction(probs: number[], id: number) {
  const top = probs.indexOf(Math.max(...probs));
  demo.prediction = { top1: top, probs, id };
  predictionBox.dataset.top1 = String(top);
  const order = probs.map((p, i) => [p, i] as const).sort((a, b) => b[0] - a[0]);
  clear(
    predictionBox,
    h('div', { class: 'pred-top' }, h('span', { class: 'pred-name' }, classes[top]), h('span', { class: 'pred-prob' }, `${(probs[top] * 100).toFixed(1)}%`)),
    h(
      'ul',
      { class: 'bars' },
      ...order.map(([p, i]) => {
        const bar = h('span', { class: 'bar-fill' });
        bar.style.width = `${(p * 100).toFixed(1)}%`;
        return h('li', { class: i === top ? 'top' : '' }, h('span', { class: 'bar-label' }, classes[i]), h('span', { class: 'bar' }, bar), h('span', { class: 'bar-value' }, `${(p * 100).toFixed(1)}%`));
      }),
    ),
  );
}

function clearPrediction() {
  lastPixels = undefined;
  delete predictionBox.dataset.top1;
  clear(predictionBox, h('p', { class: 'empty' }, 'Draw an item (light on dark) or upload a picture.'));
  paintPixels(preview, new Uint8Array(784));
}

let lastPixels: Float32Array | undefined;
function predict(pixels: Float32Array) {
  lastPixels = pixels;
  paintPixels(preview, Array.from(pixels, (v) => Math.round(v * 255)));
  demo.predictionRequested = ++predictId;
  send({ type: 'predict', id: predictId, pixels }, []);
}

function predictFromPad() {
  predict(pad.pixels());
}

function showError(message: string) {
  demo.errors.push(message);
  errorBox.hidden = false;
  errorBox.textContent = message;
}

function updateButtons() {
  const ready = Boolean(view);
  trainButton.disabled = !ready || training;
  stopButton.disabled = !training;
  resumeButton.disabled = training || !canResume;
  saveButton.disabled = !ready || training;
  modelSelect.disabled = training || modelSelect.options.length === 0;
  presetSelect.disabled = training;
  subsetSelect.disabled = training;
  backendSelect.disabled = training;
  trainButton.textContent = training ? 'Training…' : 'Train';
}

function onMessage(m: FromWorker) {
  switch (m.type) {
    case 'ready': {
      classes = m.classes;
      demo.backend = m.backend;
      setBackendPill(m.backend);
      const want = params.get('model') ?? modelSelect.value ?? 'lenet';
      if (modelSelect.options.length === 0) for (const name of m.models) modelSelect.append(option(name, name, name === want));
      statusLine.textContent = `Ready on ${m.backend.name}.`;
      requestModel({ type: 'select', model: modelSelect.value || 'lenet', preset: presetSelect.value as PresetName });
      break;
    }
    case 'model':
      showModel(m.view);
      break;
    case 'status':
      statusLine.textContent = m.text;
      break;
    case 'data':
      dataNote.textContent = `${fmtInt(m.train)} train · ${fmtInt(m.test)} test images`;
      break;
    case 'step':
      onStep(m);
      break;
    case 'epoch':
      onEpoch(m);
      break;
    case 'done':
      training = false;
      canResume = m.canResume;
      demo.trained = true;
      progressBar.classList.toggle('stopped', m.status === 'aborted');
      statusLine.textContent = m.status === 'aborted' ? m.canResume ? `Stopped during epoch ${m.epoch + 1}. Resume continues from that very step.` : `Stopped during epoch ${m.epoch + 1}. (Resume needs checkpoints, not available on WebGPU yet.)` : `Done: ${m.epoch} epoch${m.epoch === 1 ? '' : 's'}.`;
      updateButtons();
      break;
    case 'results':
      showResults(m);
      if (lastPixels) predict(lastPixels);
      break;
    case 'prediction':
      if (m.id === predictId) showPrediction(m.probs, m.id);
      break;
    case 'saved': {
      const url = URL.createObjectURL(new Blob([m.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      const a = h('a', { href: url, download: m.fileName });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      weightsNote.textContent = `Saved ${m.fileName} (${fmtInt(m.bytes.byteLength / 1024)} KiB).`;
      break;
    }
    case 'loaded':
      weightsNote.textContent = `Loaded ${m.fileName}: ${m.tensors} tensors into ${m.model} (${m.preset}).`;
      demo.trained = true;
      if (lastPixels) predict(lastPixels);
      break;
    case 'error':
      if (m.during === 'train') {
        training = false;
        updateButtons();
      }
      showError(`${m.during}: ${m.message}`);
      break;
  }
}

// ---------- events ----------
function trainRequest(resume: boolean): ToWorker {
  const subset = SUBSETS.find((s) => s.value === subsetSelect.value) ?? SUBSETS[0];
  return {
    type: 'train',
    request: {
      model: modelSelect.value,
      preset: presetSelect.value as PresetName,
      limitTrain: subset.train,
      limitTest: subset.test,
      epochs: Math.max(1, Math.round(Number(epochsInput.value) || 1)),
      batchSize: Math.max(1, Math.round(Number(batchInput.value) || 64)),
      lr: Number(lrInput.value) || (view?.config.lr ?? 0.01),
      resume,
    },
  };
}

trainButton.addEventListener('click', () => {
  errorBox.hidden = true;
  training = true;
  canResume = false;
  demo.losses = [];
  demo.epochs = [];
  demo.trained = false;
  demo.results = undefined;
  totalSteps = 0;
  charts.reset();
  clear(epochLog);
  progressBar.style.width = '0%';
  progressBar.classList.remove('stopped');
  stepMetrics.textContent = 'step 0 · loss …';
  updateButtons();
  send(trainRequest(false));
});
resumeButton.addEventListener('click', () => {
  training = true;
  demo.trained = false;
  demo.results = undefined;
  progressBar.classList.remove('stopped');
  updateButtons();
  send(trainRequest(true));
});
stopButton.addEventListener('click', () => {
  statusLine.textContent = 'Stopping after this step…';
  send({ type: 'stop' });
});
saveButton.addEventListener('click', () => send({ type: 'save' }));
modelSelect.addEventListener('change', () => {
  canResume = false;
  requestModel({ type: 'select', model: modelSelect.value, preset: presetSelect.value as PresetName });
});
presetSelect.addEventListener('change', () => {
  canResume = false;
  for (const k of ['epochs', 'batch', 'lr']) params.delete(k);
  requestModel({ type: 'select', model: modelSelect.value, preset: presetSelect.value as PresetName });
});
backendSelect.addEventListener('change', () => {
  view = undefined;
  canResume = false;
  updateButtons();
  startWorker(backendSelect.value as BackendChoice);
});
weightsInput.addEventListener('change', async () => {
  const file = weightsInput.files?.[0];
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  requestModel({ type: 'load', bytes, fileName: file.name }, [bytes.buffer]);
  weightsInput.value = '';
});
imageInput.addEventListener('change', async () => {
  const file = imageInput.files?.[0];
  if (!file) return;
  try {
    const bitmap = await createImageBitmap(file);
    const pixels = toGray28(bitmap, invertSelect.value as InvertMode);
    bitmap.close();
    pad.show(pixels);
    predict(pixels);
  } catch (e) {
    showError(`Could not read ${file.name} as an image (${(e as Error).message}).`);
  }
  imageInput.value = '';
});

layout();
clearPrediction();
startWorker((params.get('backend') as BackendChoice | null) ?? 'auto');
