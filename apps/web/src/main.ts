/**
 * The page: controls, live charts, results and the drawing pad. It holds no model math: the
 * worker (worker.ts) owns TensorFlow.js and the packages; the page sends typed messages.
 */
import './style.css';
import { TrainingCharts } from './ui/charts.js';
import { DrawPad, toGray28, type InvertMode } from './ui/draw.js';
import { renderActivations, renderHistograms } from './ui/activations_view.js';
import { archTable } from './ui/arch_table.js';
import { card, clear, field, fmtInt, h, option, paintPixels } from './ui/dom.js';
import { estimateText, formatDuration, formatRate, rememberRate } from './estimate.js';
import type { BackendChoice, BackendReport, EpochMsg, FromWorker, ModelView, PresetName, ResultsMsg, StepMsg, ToWorker } from './protocol.js';

const params = new URLSearchParams(location.search);
const BACKENDS: BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];
const BACKEND_LABEL: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU', tensorflow: 'TensorFlow' };
/** `train`/`test` undefined: the preset's own subset (all the data for LeNet). */
const SUBSETS: { value: string; label: string; train?: number; test?: number }[] = [
  { value: 'preset', label: "the preset's" },
  { value: '500', label: '500 train · 200 test (seconds)', train: 500, test: 200 },
  { value: '1000', label: '1k train · 500 test', train: 1000, test: 500 },
  { value: '5000', label: '5k train · 1k test', train: 5000, test: 1000 },
  { value: '20000', label: '20k train · 2k test', train: 20000, test: 2000 },
  { value: '0', label: 'Full · 60k train · 10k test', train: 0, test: 0 },
];

/** What the e2e tests (and the curious) can read: window.__demo. */
interface DemoState {
  backend?: BackendReport;
  /** The epoch's running mean loss at each report, and the per-step loss the chart plots. */
  losses: number[];
  stepLosses: number[];
  epochs: EpochMsg[];
  trained: boolean;
  results?: { accuracy: number; total: number };
  /** The latest prediction shown, and `id`: the request it answers. */
  prediction?: { top1: number; probs: number[]; id: number; trained: boolean };
  /** The id of the latest prediction requested (a newer one than `prediction.id` is in flight). */
  predictionRequested: number;
  /** Model views shown so far (the worker's answers to 'select' and 'load'). */
  modelViews: number;
  /** The layers the activation view shows, for which test image (undefined: not yet). */
  activations?: { image: number; layers: string[]; filters: number; histograms: string[] };
  errors: string[];
  /** Set when the GPU device was lost and the worker moved to wasm: what the loss said. */
  gpuLost?: string;
}
const demo: DemoState = { losses: [], stepLosses: [], epochs: [], trained: false, predictionRequested: 0, modelViews: 0, errors: [] };
(window as unknown as { __demo: DemoState }).__demo = demo;

let classes: string[] = [];
let view: ModelView | undefined;
let training = false;
/** A model or weights file asked of the worker and not answered yet. */
let building = false;
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
for (const s of SUBSETS) subsetSelect.append(option(s.value, s.label, s.value === (params.get('subset') ?? 'preset')));
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
const estimateLine = h('p', { class: 'hint estimate', testid: 'estimate' });
const errorBox = h('div', { class: 'error', role: 'alert', testid: 'setup-error', hidden: true });
const weightsError = h('div', { class: 'error', role: 'alert', testid: 'weights-error', hidden: true });

// ---------- training card ----------
const stepMetrics = h('div', { class: 'metric-value', testid: 'step-metrics' }, '—');
const epochMetrics = h('div', { class: 'metric-value', testid: 'epoch-metrics' }, '—');
const rateMetric = h('div', { class: 'metric-value', testid: 'rate' }, '—');
const timeMetric = h('div', { class: 'metric-value', testid: 'time' }, '—');
const progressBar = h('div', { class: 'progress-bar' });
const progress = h('div', { class: 'progress' }, progressBar);
const lossCanvas = h('canvas');
const accCanvas = h('canvas');
const epochLog = h('ol', { class: 'epoch-log', testid: 'epoch-log' });
const dataNote = h('span', { class: 'muted' });

// ---------- architecture / results / draw ----------
const summaryBox = h('div', { class: 'table-wrap', testid: 'summary' });
const summaryHead = h('p', { class: 'muted' });
const EMPTY_GALLERY = 'Train a model (or load weights) to see its predictions on test images.';
const accuracyBadge = h('div', { class: 'big-number', testid: 'test-accuracy' }, '—');
const gallery = h('div', { class: 'gallery', testid: 'gallery' }, h('p', { class: 'empty' }, EMPTY_GALLERY));
const confusionBox = h('div', { class: 'confusion-wrap', testid: 'confusion' });
const perClassBox = h('div', { class: 'per-class', testid: 'per-class' });
const activationBox = h('div', { class: 'activations', testid: 'activations' }, h('p', { class: 'empty' }, 'The network appears here once it is built.'));
const histogramBox = h('div', { class: 'histograms', testid: 'histograms' });
const activationImage = h('input', { type: 'number', min: 0, max: 23, step: 1, value: 0, testid: 'activation-image' });
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
    estimateLine,
    statusLine,
    errorBox,
  );
  const weights = card('Weights', 'PyTorch-compatible safetensors, interchangeable with the CLI. Loaded weights are evaluated on the test set.', h('div', { class: 'buttons' }, saveButton, loadLabel, weightsInput), weightsNote, weightsError);
  const trainingCard = card(
    'Training',
    null,
    h('div', { class: 'metrics' }, metric('Step', stepMetrics), metric('Last epoch', epochMetrics), metric('Throughput', rateMetric), metric('Time', timeMetric)),
    progress,
    h('div', { class: 'charts' }, h('figure', { class: 'chart' }, h('figcaption', {}, 'Loss (each step, and each epoch\'s mean)'), h('div', { class: 'chart-box' }, lossCanvas)), h('figure', { class: 'chart' }, h('figcaption', {}, 'Accuracy'), h('div', { class: 'chart-box' }, accCanvas))),
    h('div', { class: 'log-head' }, h('h3', {}, 'Epochs'), dataNote),
    epochLog,
  );
  const results = card('Results on the test set', 'Predicted label first; mistakes are marked in red.', h('div', { class: 'results' }, h('div', { class: 'results-left' }, h('div', { class: 'metric-label' }, 'Test accuracy'), accuracyBadge, gallery), h('div', { class: 'results-right' }, h('h3', {}, 'Confusion matrix'), h('p', { class: 'hint' }, 'Rows: true class · columns: predicted'), confusionBox, h('h3', { class: 'spaced' }, 'Accuracy per class'), perClassBox)));
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
  const arch = card('Architecture', "The seed's shape walk for one image (N, C, H, W): each block, then every layer inside it (click a block to fold it).", summaryHead, summaryBox);
  const sees = card(
    'What the network sees',
    'One test image through every layer (up to 32 channels each, min-max scaled per layer), and the first layer\'s filters; it updates every few seconds while training.',
    h('div', { class: 'act-controls' }, field('Test image #', activationImage)),
    activationBox,
    h('h3', { class: 'spaced' }, 'Weights per layer'),
    h('p', { class: 'hint' }, 'Histogram of each weight tensor (a strided sample of at most 20,000 values), updated with the maps.'),
    histogramBox,
  );

  app.append(
    h('header', { class: 'topbar' }, h('div', { class: 'brand' }, h('h1', {}, 'convnets'), h('p', {}, 'The classic CNNs of ', h('em', {}, 'Dive into Deep Learning'), ', trained on Fashion-MNIST in your browser tab.')), h('div', { class: 'backend-box' }, h('span', { class: 'muted small' }, 'Backend'), backendPill, backendWhy)),
    h('main', { class: 'grid' }, h('div', { class: 'col-left' }, setup, weights), h('div', { class: 'col-main' }, trainingCard)),
    h('div', { class: 'grid2' }, results),
    h('div', { class: 'grid3' }, tryIt, arch),
    h('div', { class: 'grid2' }, sees),
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
    backendSelect.value !== 'auto'
      ? h('div', {}, 'Chosen by you.')
      : b.skipped.length === 0
        ? h('div', {}, b.name === 'webgpu' ? 'auto: a hardware WebGPU adapter, the fastest backend.' : `auto: ${b.name}.`)
        : h('div', {}, `auto: ${b.name}, the fastest that runs here at full speed.`),
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
  building = true;
  clearResults();
  statusLine.textContent = message.type === 'load' ? 'Loading the weights…' : `Building ${message.type === 'select' ? `${message.model} (${message.preset})` : 'the network'}…`;
  updateButtons();
  send(message, transfer);
}

/** What a run on the current settings would train on: the subset chosen, or the preset's. */
function subsetLimits(): { train?: number; test?: number } {
  const subset = SUBSETS.find((s) => s.value === subsetSelect.value) ?? SUBSETS[0];
  return { train: subset.train, test: subset.test };
}

const FULL_TRAIN = 60_000;
const FULL_TEST = 10_000;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function updatePresetSubsetLabel() {
  const c = view?.config;
  const train = c?.limitTrain ?? FULL_TRAIN;
  const test = c?.limitTest ?? FULL_TEST;
  subsetSelect.options[0].textContent = `Preset's · ${train === FULL_TRAIN ? 'full 60k' : fmtInt(train)} train · ${test === FULL_TEST ? '10k' : fmtInt(test)} test`;
}

function updateEstimate() {
  if (!view || !demo.backend) {
    estimateLine.textContent = '';
    return;
  }
  const limits = subsetLimits();
  const train = (limits.train ?? view.config.limitTrain ?? FULL_TRAIN) || FULL_TRAIN;
  estimateLine.textContent = estimateText({
    backend: demo.backend.name,
    model: view.model,
    inputSize: view.config.inputSize,
    batchSize: Math.max(1, Math.round(Number(batchInput.value) || view.config.batchSize)),
    trainImages: train,
    epochs: Math.max(1, Math.round(Number(epochsInput.value) || 1)),
  });
}

/** A different network (or weights): what the old one showed goes. */
function clearResults() {
  demo.losses = [];
  demo.stepLosses = [];
  demo.epochs = [];
  demo.results = undefined;
  demo.activations = undefined;
  totalSteps = 0;
  runClock = undefined;
  charts.reset();
  clear(epochLog);
  clear(dataNote);
  progressBar.style.width = '0%';
  progressBar.classList.remove('stopped');
  for (const m of [stepMetrics, epochMetrics, rateMetric, timeMetric]) m.textContent = '—';
  accuracyBadge.textContent = '—';
  accuracyBadge.title = '';
  clear(gallery, h('p', { class: 'empty' }, EMPTY_GALLERY));
  clear(confusionBox);
  clear(perClassBox);
  clear(activationBox, h('p', { class: 'empty' }, 'The network appears here once it is built.'));
  clear(histogramBox);
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
  const data = c.limitTrain ? `, ${fmtInt(c.limitTrain)} training examples` : '';
  clear(presetWhy, h('b', {}, `${v.preset}: `), `${c.optimizer.toUpperCase()}, lr ${c.lr}, batch ${c.batchSize}, ${plural(c.epochs, 'epoch')}, input ${c.inputSize}×${c.inputSize}${data}. `, c.why);
  clear(summaryHead, `${v.model} · input ${JSON.stringify(v.inputShape)} · `, h('b', {}, fmtInt(v.params)), ' parameters');
  clear(summaryBox, archTable(v.layers));
  updatePresetSubsetLabel();
  updateEstimate();
  updateButtons();
}

/** The run's clock: when it started, and the first step seen (the ETA counts steps from there). */
let runClock: { start: number; firstStep?: { at: number; step: number }; lastStep: number; stepsTotal: number; rate: number } | undefined;

function updateTime() {
  if (!runClock) return;
  const now = performance.now();
  const elapsed = formatDuration((now - runClock.start) / 1000);
  const f = runClock.firstStep;
  const stepsSince = f ? runClock.lastStep - f.step : 0;
  if (!f || stepsSince < 1) {
    timeMetric.textContent = `${elapsed} · ETA …`;
    return;
  }
  const perStep = (now - f.at) / 1000 / stepsSince;
  timeMetric.textContent = `${elapsed} · ETA ${formatDuration(perStep * (runClock.stepsTotal - runClock.lastStep))}`;
  timeMetric.title = 'Elapsed · time left to train (the test passes after each epoch come on top)';
}
setInterval(() => {
  if (training) updateTime();
}, 1000);

function onStep(m: StepMsg) {
  totalSteps = m.globalStep;
  if (m.loss !== undefined) demo.losses.push(m.loss);
  if (m.stepLoss !== undefined) demo.stepLosses.push(m.stepLoss);
  const epochs = Number(epochsInput.value) || 1;
  stepMetrics.textContent = `step ${m.globalStep} · loss ${m.stepLoss === undefined ? '…' : m.stepLoss.toFixed(3)}`;
  stepMetrics.title = m.loss === undefined ? '' : `this step's loss; the epoch's running mean: ${m.loss.toFixed(3)}`;
  rateMetric.textContent = `${formatRate(m.examplesPerSec)} img/s`;
  const done = (m.epoch - 1) * m.stepsPerEpoch + m.step;
  if (runClock) {
    runClock.firstStep ??= { at: performance.now(), step: done };
    runClock.lastStep = done;
    runClock.stepsTotal = epochs * m.stepsPerEpoch;
    runClock.rate = m.examplesPerSec;
    updateTime();
  }
  progressBar.style.width = `${Math.min(100, (100 * done) / (epochs * m.stepsPerEpoch))}%`;
  charts.step(m.globalStep, m.stepLoss, m.acc);
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
    ...r.gallery.map((g, index) => {
      const c = h('canvas', { class: 'thumb' });
      paintPixels(c, g.pixels);
      const ok = g.pred === g.label;
      return h('figure', { class: `tile ${ok ? 'ok' : 'wrong'}`, title: `p = ${(g.prob * 100).toFixed(1)}% · click: see it go through the network`, 'data-index': index }, c, h('figcaption', {}, h('span', { class: 'pred' }, classes[g.pred]), h('span', { class: 'true' }, ok ? '✓ correct' : `✗ true: ${classes[g.label]}`)));
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
  clear(
    perClassBox,
    h(
      'ul',
      { class: 'bars' },
      ...r.confusion.map((row, i) => {
        const total = row.reduce((a, b) => a + b, 0);
        const acc = total ? row[i] / total : 0;
        const bar = h('span', { class: 'bar-fill' });
        bar.style.width = `${(acc * 100).toFixed(1)}%`;
        return h('li', { title: `${row[i]} of ${total}` }, h('span', { class: 'bar-label' }, classes[i]), h('span', { class: 'bar' }, bar), h('span', { class: 'bar-value' }, `${(acc * 100).toFixed(1)}%`));
      }),
    ),
  );
}

function showPrediction(probs: number[], id: number, trained: boolean) {
  const top = probs.indexOf(Math.max(...probs));
  demo.prediction = { top1: top, probs, id, trained };
  predictionBox.dataset.top1 = String(top);
  predictionBox.classList.toggle('untrained', !trained);
  const order = probs.map((p, i) => [p, i] as const).sort((a, b) => b[0] - a[0]);
  clear(
    predictionBox,
    trained ? null : h('p', { class: 'untrained-note', testid: 'untrained' }, 'Untrained network: random weights, so this is a guess. Train it or load weights.'),
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

/** Errors show beside what caused them: a weights file's in Weights, the rest in Setup. */
function showError(message: string, where: 'setup' | 'weights' = 'setup') {
  demo.errors.push(message);
  const box = where === 'weights' ? weightsError : errorBox;
  box.hidden = false;
  box.textContent = message;
}

function updateButtons() {
  const ready = Boolean(view);
  trainButton.disabled = !ready || training || building;
  stopButton.disabled = !training;
  resumeButton.disabled = training || !canResume;
  saveButton.disabled = !ready || training || building;
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
      requestModel({ type: 'select', model: modelSelect.value || 'lenet', preset: presetSelect.value as PresetName });
      break;
    }
    case 'model':
      building = false;
      showModel(m.view);
      if (!training) {
        statusLine.textContent = `Ready: ${m.view.model} (${m.view.preset}) on ${demo.backend?.name ?? '…'}${m.trained ? '' : ', untrained'}.`;
        requestActivations();
        if (lastPixels) predict(lastPixels);
      }
      break;
    case 'status':
      statusLine.textContent = m.text;
      break;
    case 'activations':
      demo.activations = { image: m.image, layers: m.layers.map((l) => l.name), filters: m.filters?.maps ?? 0, histograms: m.histograms.map((x) => x.name) };
      renderActivations(activationBox, m);
      renderHistograms(histogramBox, m);
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
      if (runClock && runClock.rate > 0 && view) rememberRate({ backend: demo.backend?.name ?? '', model: view.model, inputSize: view.config.inputSize, batchSize: Number(batchInput.value) }, runClock.rate);
      updateTime();
      updateEstimate();
      statusLine.textContent = m.status === 'aborted' ? m.canResume ? `Stopped during epoch ${m.epoch + 1}. Resume continues from that very step.` : `Stopped during epoch ${m.epoch + 1}. (This run kept no checkpoint to resume from.)` : `Done: ${m.epoch} epoch${m.epoch === 1 ? '' : 's'}.`;
      updateButtons();
      break;
    case 'results':
      showResults(m);
      if (lastPixels) predict(lastPixels);
      break;
    case 'prediction':
      if (m.id === predictId) showPrediction(m.probs, m.id, m.trained);
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
      weightsError.hidden = true;
      demo.trained = true;
      statusLine.textContent = `Loaded ${m.fileName}: evaluating on the test set…`;
      break;
    case 'backend-lost': {
      demo.backend = m.backend;
      demo.gpuLost = m.message;
      setBackendPill(m.backend);
      backendWhy.prepend(h('div', { class: 'skipped' }, h('b', {}, 'WebGPU: '), `${m.message}; moved to wasm.`));
      // Whatever failed first, a run on the lost device is over.
      training = false;
      canResume = m.canResume;
      progressBar.classList.add('stopped');
      const from = m.step === 0 ? `after epoch ${m.epoch}` : `at epoch ${m.epoch + 1}, step ${m.step}`;
      statusLine.textContent = `${m.message[0].toUpperCase()}${m.message.slice(1)}: now on wasm. ${m.canResume ? `Resume goes on from the checkpoint ${from}.` : 'No checkpoint was saved yet: Train starts again.'}`;
      updateButtons();
      break;
    }
    case 'error':
      if (m.during === 'train') {
        training = false;
        statusLine.textContent = 'Training stopped on an error (below).';
      }
      if (m.during === 'select' || m.during === 'load') {
        building = false;
        statusLine.textContent = m.during === 'load' ? 'The weights file was not loaded (see Weights).' : 'The network was not built (below).';
      }
      updateButtons();
      showError(`${m.during}: ${m.message}`, m.during === 'load' || m.during === 'save' ? 'weights' : 'setup');
      break;
  }
}

// ---------- events ----------
function trainRequest(resume: boolean): ToWorker {
  const limits = subsetLimits();
  return {
    type: 'train',
    request: {
      model: modelSelect.value,
      preset: presetSelect.value as PresetName,
      limitTrain: limits.train,
      limitTest: limits.test,
      epochs: Math.max(1, Math.round(Number(epochsInput.value) || 1)),
      batchSize: Math.max(1, Math.round(Number(batchInput.value) || 64)),
      lr: Number(lrInput.value) || (view?.config.lr ?? 0.01),
      resume,
    },
  };
}

/** Asks for the activation maps of the chosen test image (from the test subset a run would use). */
function requestActivations() {
  const image = Math.max(0, Math.min(23, Math.round(Number(activationImage.value) || 0)));
  send({ type: 'activations', image, limitTest: subsetLimits().test });
}

trainButton.addEventListener('click', () => {
  errorBox.hidden = true;
  training = true;
  canResume = false;
  clearResults();
  demo.trained = false;
  runClock = { start: performance.now(), lastStep: 0, stepsTotal: 0, rate: 0 };
  stepMetrics.textContent = 'step 0 · loss …';
  timeMetric.textContent = '0:00 · ETA …';
  updateButtons();
  send(trainRequest(false));
});
resumeButton.addEventListener('click', () => {
  training = true;
  runClock = { start: performance.now(), lastStep: 0, stepsTotal: 0, rate: 0 };
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
  clearResults();
  updateButtons();
  startWorker(backendSelect.value as BackendChoice);
});
weightsInput.addEventListener('change', async () => {
  const file = weightsInput.files?.[0];
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  requestModel({ type: 'load', bytes, fileName: file.name, limitTest: subsetLimits().test }, [bytes.buffer]);
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

activationImage.addEventListener('change', requestActivations);
gallery.addEventListener('click', (e) => {
  const tile = (e.target as HTMLElement).closest<HTMLElement>('.tile');
  if (!tile || tile.dataset.index === undefined) return;
  activationImage.value = tile.dataset.index;
  requestActivations();
  activationBox.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
});
for (const input of [epochsInput, batchInput]) input.addEventListener('input', updateEstimate);
subsetSelect.addEventListener('change', updateEstimate);

layout();
clearPrediction();
startWorker((params.get('backend') as BackendChoice | null) ?? 'auto');
