/** `convnets predict`: the top classes of PNG/JPEG images, or of Fashion-MNIST test images, under saved weights. */
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import { FASHION_MNIST_CLASSES, FashionMnist } from '@convnets/data';
import { predict } from '@convnets/trainer';
import { describeBackend, startBackend } from '../backend.js';
import { CliError, UsageError } from '../errors.js';
import { ImageError, toFashionMnistPixels } from '../image.js';
import { BACKEND_OPTIONS, THREADS_HELP, COMMON_OPTIONS, MODEL_OPTIONS, opt, parse, parseInteger, parseWeightsFlags } from '../options.js';
import { loadNetwork } from '../weights_setup.js';
import { say } from '../terminal.js';
import { loadSplit } from '../data.js';
import { printHelp } from '../help.js';

export const help = `Usage: convnets predict --weights <file> [options] <image>...
       convnets predict --weights <file> --test-index <n,...> [options]

Classifies PNG or JPEG images of any size: each is turned into a 28x28 grayscale image like
Fashion-MNIST's (transparency becomes background, padded to a square, area-averaged down), then
resized to the network's input size. Prints the top classes with their probabilities.
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
  const { backendFlag, threads } = parseWeightsFlags(values);
  const top = Math.min(FASHION_MNIST_CLASSES.length, opt(values.top, (v) => parseInteger('--top', v)) ?? 3);
  const testIndices = parseTestIndices(values['test-index'] ?? []);
  if (positionals.length === 0 && testIndices.length === 0) {
    throw new UsageError('give at least one PNG or JPEG image to classify, or --test-index <n> for a test-set image (see --help)');
  }
  const json = values.json ?? false;

  // Read and convert the images first: a bad file fails before the network is built.
  const pixels: Uint8Array[] = [];
  const inputs: { file: string; label?: number }[] = [];
  if (testIndices.length) {
    const test = await loadSplit('test', { dataDir: values['data-dir'] });
    for (const i of testIndices) {
      if (i >= test.length) throw new UsageError(`--test-index ${i} is out of range: the test set has ${test.length} images (0 to ${test.length - 1})`);
      pixels.push(test.image(i));
      inputs.push({ file: `test[${i}]`, label: test.labels[i] });
    }
  }
  for (const file of positionals) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new CliError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (e as Error).message})`}`, { cause: e });
    }
    try {
      pixels.push(toFashionMnistPixels(bytes, file, { invert: values.invert }));
    } catch (e) {
      if (e instanceof ImageError) throw new CliError(e.message, { cause: e });
      throw e;
    }
    inputs.push({ file });
  }

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
  }

  const results = inputs.map(({ file, label }, i) => ({
    file,
    ...(label !== undefined ? { label, class: FASHION_MNIST_CLASSES[label] as string } : {}),
    top: probs[i]
      .map((probability, label) => ({ label, class: FASHION_MNIST_CLASSES[label] as string, probability }))
      .sort((a, b) => b.probability - a.probability)
      .slice(0, top),
  }));
  if (json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return 0;
  }
  for (const r of results) {
    const truth = r.class === undefined ? '' : ` (true class: ${r.class}${r.top[0].label === r.label ? ', predicted right' : ', predicted wrong'})`;
    say(`${r.file}${truth}`);
    r.top.forEach((t, k) => process.stdout.write(`  ${k + 1}. ${t.class.padEnd(12)} ${(100 * t.probability).toFixed(1).padStart(5)}%\n`));
  }
  return 0;
}

/** --test-index values: whole numbers, comma-separated or repeated. */
function parseTestIndices(values: string[]): number[] {
  return values.flatMap((v) => v.split(',')).map((v) => parseInteger('--test-index', v, { allowZero: true }));
}
