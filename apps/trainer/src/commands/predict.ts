/** `convnets predict`: the top classes of PNG/JPEG images, or of Fashion-MNIST test images, under saved weights. */
import * as tf from '@tensorflow/tfjs-core';
import { throwIfDeviceErrors } from '@convnets/core';
import { FileReadError, readRegularFile } from '@convnets/core/node';
import { FASHION_MNIST_CLASSES, FashionMnist } from '@convnets/data';
import { predict } from '@convnets/trainer';
import { describeBackend, startBackend } from '../backend.js';
import { UsageError } from '../errors.js';
import { ImageError, toFashionMnistPixels } from '../image.js';
import { BACKEND_OPTIONS, THREADS_HELP, COMMON_OPTIONS, MODEL_OPTIONS, opt, parse, parseInteger, parseWeightsFlags } from '../options.js';
import { checkWeightsFile, loadNetwork } from '../weights_setup.js';
import { say } from '../terminal.js';
import { loadSplit } from '../data.js';
import { printHelp } from '../help.js';

export const help = `Usage: convnets predict --weights <file> [options] <image>...
       convnets predict --weights <file> --test-index <n,...> [options]

Classifies PNG or JPEG images of any size: each is turned into a 28x28 grayscale image like
Fashion-MNIST's (transparency becomes background, padded to a square, area-averaged down), then
resized to the network's input size. Prints the top classes with their probabilities, or the
error, for each image; exits with 1 if any image could not be read.
--test-index classifies images of the Fashion-MNIST test set instead (or as well), and prints
their true class beside the prediction.

Fashion-MNIST items are light on a black background. For ordinary photos (dark item on a light
background) pass --invert.

Options:
  -w, --weights <file>     .safetensors weights; config.json beside them picks the variant
  -m, --model <name>       lenet | alexnet | vgg11 | nin | googlenet | resnet18
                           (required when there is no config.json beside the weights)
      --preset <name>      book | seed | quick: the variant to build without a config.json
      --input-size <n>     input size the network was trained at
      --width-ratio <r>    channel divisor the network was trained with
      --invert             invert the gray levels (for dark-on-light photos)
      --test-index <n,...> test-set images by index, 0 to 9999 (comma-separated or repeated)
      --data-dir <dir>     where Fashion-MNIST is, for --test-index
  -k, --top <n>            how many classes to print (default 3)
  -b, --backend <name>     auto | tensorflow | webgpu | wasm | webgl | cpu (default auto)
${THREADS_HELP}
      --json               print a JSON array instead of text
  -v, --verbose            stack traces on errors
  -h, --help               this help

Examples:
  convnets predict --weights runs/lenet-quick/model.safetensors --test-index 0,1,2
  convnets predict --weights runs/lenet-quick/model.safetensors boot.png
  convnets predict --weights runs/lenet-quick/model.safetensors --invert photo.jpg --json
`;

/** Larger image files are refused unread (the pixel cap is checked from the header after). */
const MAX_IMAGE_BYTES = 256 * 1024 * 1024;

const PREDICT_OPTIONS = {
  ...COMMON_OPTIONS,
  ...MODEL_OPTIONS,
  ...BACKEND_OPTIONS,
  weights: { type: 'string', short: 'w' },
  preset: { type: 'string' },
  invert: { type: 'boolean' },
  'test-index': { type: 'string', multiple: true },
  'data-dir': { type: 'string' },
  top: { type: 'string', short: 'k' },
  json: { type: 'boolean' },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse('predict', argv, PREDICT_OPTIONS, true);
  if (values.help) {
    printHelp(help);
    return 0;
  }
  const { backendFlag, threads, weights } = parseWeightsFlags(values);
  const top = Math.min(FASHION_MNIST_CLASSES.length, opt(values.top, (v) => parseInteger('--top', v)) ?? 3);
  const testIndices = parseTestIndices(values['test-index'] ?? []);
  if (positionals.length === 0 && testIndices.length === 0) {
    throw new UsageError('give at least one PNG or JPEG image to classify, or --test-index <n> for a test-set image (see --help)');
  }
  const json = values.json ?? false;
  await checkWeightsFile(weights);

  // Read and convert the images first: bad files are reported (each on its own line) before the
  // network is built, and the good ones are still classified.
  const items: { file: string; label?: number; pixels?: Uint8Array; error?: string }[] = [];
  if (testIndices.length) {
    const test = await loadSplit('test', { dataDir: values['data-dir'] });
    for (const i of testIndices) {
      if (i >= test.length) throw new UsageError(`--test-index ${i} is out of range: the test set has ${test.length} images (0 to ${test.length - 1})`);
      items.push({ file: `test[${i}]`, label: test.labels[i], pixels: test.image(i) });
    }
  }
  for (const file of positionals) {
    try {
      const bytes = await readRegularFile(file, { maxBytes: MAX_IMAGE_BYTES, what: 'image file' });
      items.push({ file, pixels: toFashionMnistPixels(bytes, file, { invert: values.invert }) });
    } catch (e) {
      if (!(e instanceof ImageError || e instanceof FileReadError)) throw e;
      items.push({ file, error: e.message.startsWith(`${file}: `) ? e.message.slice(file.length + 2) : e.message });
    }
  }
  const failed = items.filter((i) => i.error !== undefined);
  for (const f of failed) process.stderr.write(`convnets predict: error: ${f.file}: ${f.error}\n`);
  if (failed.length === items.length) return 1;
  const pixels = items.flatMap((i) => (i.pixels ? [i.pixels] : []));

  const backend = await startBackend(backendFlag, threads);
  if (!json) for (const line of describeBackend(backend, { verbose: values.verbose })) say(line);
  const { net, inputSize, normalize } = await loadNetwork(values);

  const images = new Uint8Array(pixels.length * 28 * 28);
  pixels.forEach((p, i) => images.set(p, i * 28 * 28));
  const ds = new FashionMnist({ split: 'test', images, labels: new Uint8Array(pixels.length), source: { kind: 'memory' } });
  const probs: number[][] = [];
  for await (const { x, y } of ds.batches({ batchSize: 64, resize: inputSize === 28 ? undefined : inputSize, normalize })) {
    const p = predict(net, x);
    probs.push(...((await p.array()) as number[][]));
    tf.dispose([x, y, p]);
    throwIfDeviceErrors();
  }

  let next = 0;
  const results = items.map(({ file, label, error }) => {
    if (error !== undefined) return { file, error };
    const p = probs[next++];
    return {
      file,
      ...(label !== undefined ? { label, class: FASHION_MNIST_CLASSES[label] as string } : {}),
      top: p
        .map((probability, label) => ({ label, class: FASHION_MNIST_CLASSES[label] as string, probability }))
        .sort((a, b) => b.probability - a.probability)
        .slice(0, top),
    };
  });
  const code = failed.length ? 1 : 0;
  if (json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return code;
  }
  for (const r of results) {
    const right = 'top' in r && r.top && 'label' in r ? r.top[0].label === r.label : false;
    const truth = 'class' in r && r.class !== undefined ? ` (true class: ${r.class}${right ? ', predicted right' : ', predicted wrong'})` : '';
    say(`${r.file}${truth}`);
    if ('error' in r) process.stdout.write(`  error: ${r.error}\n`);
    if ('top' in r) r.top.forEach((t, k) => process.stdout.write(`  ${k + 1}. ${t.class.padEnd(12)} ${(100 * t.probability).toFixed(1).padStart(5)}%\n`));
  }
  return code;
}

/** --test-index values: whole numbers, comma-separated or repeated. */
function parseTestIndices(values: string[]): number[] {
  return values.flatMap((v) => v.split(',')).map((v) => parseInteger('--test-index', v, { allowZero: true }));
}
