/** `convnets eval`: test accuracy, per-class accuracy and the confusion matrix of saved weights. */
import { evaluate } from '@convnets/trainer';
import { describeBackend, startBackend } from '../backend.js';
import { describeSource, loadSplit } from '../data.js';
import { BACKEND_OPTIONS, THREADS_HELP, COMMON_OPTIONS, DATA_OPTIONS, MODEL_OPTIONS, opt, parse, parseInteger, parseWeightsFlags } from '../options.js';
import { checkWeightsFile, loadNetwork } from '../weights_setup.js';
import { say as sayWrapped } from '../terminal.js';
import { printHelp } from '../help.js';

export const help = `Usage: convnets eval --weights <file> [options]

Evaluates saved weights on the Fashion-MNIST test set: accuracy, per-class accuracy and the
confusion matrix (rows: true class, columns: predicted class). The network variant is read from
the config.json that 'convnets train' writes beside the weights; flags override it.

Options:
  -w, --weights <file>     .safetensors weights (convnets' or PyTorch's)
  -m, --model <name>       lenet | alexnet | vgg11 | nin | googlenet | resnet18
                           (required when there is no config.json beside the weights)
      --preset <name>      book | seed | quick: the variant to build without a config.json
      --input-size <n>     input size the network was trained at
      --width-ratio <r>    channel divisor the network was trained with
      --limit-test <n>     evaluate on a class-stratified subset of n examples
      --batch-size <n>     examples per batch (default 256)
  -b, --backend <name>     auto | tensorflow | webgpu | wasm | webgl | cpu (default auto)
${THREADS_HELP}
      --data-dir <dir>     read Fashion-MNIST from dir
      --download           allow downloading Fashion-MNIST into the cache
      --json               print one JSON object instead of tables
  -v, --verbose            stack traces on errors
  -h, --help               this help

Examples:
  convnets eval --weights runs/lenet-quick/model.safetensors
  convnets eval --model lenet --preset seed --weights lenet_from_pytorch.safetensors --json
`;

const EVAL_OPTIONS = {
  ...COMMON_OPTIONS,
  ...MODEL_OPTIONS,
  ...BACKEND_OPTIONS,
  ...DATA_OPTIONS,
  weights: { type: 'string', short: 'w' },
  preset: { type: 'string' },
  'limit-test': { type: 'string' },
  'batch-size': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse('eval', argv, EVAL_OPTIONS);
  if (values.help) {
    printHelp(help);
    return 0;
  }
  const { backendFlag, threads, weights } = parseWeightsFlags(values);
  const limit = opt(values['limit-test'], (v) => parseInteger('--limit-test', v));
  const batchSize = opt(values['batch-size'], (v) => parseInteger('--batch-size', v)) ?? 256;
  const json = values.json ?? false;
  const say = (line: string) => {
    if (!json) sayWrapped(line);
  };

  await checkWeightsFile(weights);
  const backend = await startBackend(backendFlag, threads);
  for (const line of describeBackend(backend, { verbose: values.verbose })) say(line);
  const { net, model, inputSize, normalize, from } = await loadNetwork(values);
  say(`weights: ${weights} (${model}, input ${inputSize}x${inputSize}, variant from ${from})`);
  const test = await loadSplit('test', { dataDir: values['data-dir'], download: values.download, limit });
  say(`data: ${describeSource(test.source)} (test ${test.length})`);

  const r = await evaluate(net, test, { batchSize, inputSize, normalize });
  const classes = test.classes;
  const counts = r.confusion.map((row) => row.reduce((a, b) => a + b, 0));
  if (json) {
    const out = {
      model,
      weights,
      inputSize,
      backend: backend.name,
      accuracy: r.accuracy,
      correct: r.correct,
      total: r.total,
      classes,
      perClass: classes.map((name, label) => ({ label, class: name, accuracy: r.perClass[label], count: counts[label] })),
      confusion: r.confusion,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  say(`test accuracy: ${r.accuracy.toFixed(4)} (${r.correct}/${r.total})`);
  say('per class:');
  const width = Math.max(...classes.map((c) => c.length));
  classes.forEach((name, c) => {
    const acc = r.perClass[c];
    const bar = '#'.repeat(Math.round((Number.isFinite(acc) ? acc : 0) * 20));
    say(`  ${String(c).padStart(2)} ${name.padEnd(width)}  ${Number.isFinite(acc) ? acc.toFixed(3) : '  -  '}  ${bar}`);
  });
  say('confusion matrix (rows: true class, columns: predicted):');
  const cell = Math.max(4, ...r.confusion.flat().map((n) => String(n).length + 1));
  say(`  ${''.padEnd(width + 3)}${classes.map((_, c) => String(c).padStart(cell)).join('')}`);
  r.confusion.forEach((row, t) => say(`  ${String(t).padStart(2)} ${classes[t].padEnd(width)}${row.map((n) => String(n).padStart(cell)).join('')}`));
  return 0;
}
