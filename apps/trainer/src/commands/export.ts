/** `convnets export --torch DIR`: a self-contained PyTorch project that trains the network under torchrun (DDP). */
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Rng, torchShape, type Module } from '@convnets/core';
import { loadWeightsFile, saveWeightsFile } from '@convnets/core/node';
import type { ModelName } from '@convnets/models';
import { applyTrainInit, getPreset } from '@convnets/trainer';
import { startBackend } from '../backend.js';
import { CliError, UsageError } from '../errors.js';
import { summarize, weightsError } from '../model_setup.js';
import { COMMON_OPTIONS, opt, parse, parseInteger, parseModel, parsePreset, type PresetName } from '../options.js';
import { buildModel, configBeside, readRunConfig, type Normalize, type RunConfig } from '../run_config.js';
import { describeTorchModule, INTEROP_DIR, type TorchModule } from '../torch_python.js';

export const help = `Usage: convnets export --torch <dir> [--model <name>] [--preset <name>] [--weights <file>]

Writes a self-contained PyTorch project into <dir> (a new directory): the seed's module for the
network, its starting weights, and a train.py that trains it with DistributedDataParallel under
torchrun, with the preset's optimizer, schedule, batch size and input size and convnets' reading of
Fashion-MNIST. Its run directory (model.safetensors, metrics.jsonl, config.json) loads back into
'convnets eval', 'convnets predict' and the web demo.

Options:
      --torch <dir>        the directory to create (refused if it exists)
  -m, --model <name>       lenet | alexnet | vgg11 | nin | googlenet (resnet18 has no seed module)
      --preset <name>      book | seed | quick (default quick)
  -w, --weights <file>     start from these weights; the variant and recipe come from the
                           config.json beside them (a convnets run), else from --model/--preset.
                           Without --weights: convnets' seeded init, exactly as 'convnets train'
                           starts (the preset's init, Rng(seed))
      --seed <s>           seed of that init and of train.py's shuffling (default 0, or the run's)
      --python <exe>       the Python with PyTorch to check the project with (default: python3,
                           then the interpreter of torchrun on PATH)
  -v, --verbose            stack traces on errors
  -h, --help               this help

Then:
  torchrun --standalone --nproc_per_node 2 <dir>/train.py [--epochs E] [--data-dir D] [--out O]
  convnets eval --weights O/model.safetensors

Examples:
  convnets export --model lenet --torch /tmp/lenet-torch
  convnets export --model vgg11 --preset book --torch vgg-ddp
  convnets export --weights runs/lenet-quick/model.safetensors --torch lenet-more
`;

const EXPORT_OPTIONS = {
  ...COMMON_OPTIONS,
  model: { type: 'string', short: 'm' },
  preset: { type: 'string' },
  weights: { type: 'string', short: 'w' },
  torch: { type: 'string' },
  seed: { type: 'string' },
  python: { type: 'string' },
} as const;

/** Copied into the project as they are: the seed's modules, the data reader, safetensors, the trainer. */
const PROJECT_FILES = [
  'seed_nets.py',
  'safetensors_np.py',
  'fashion_mnist.py',
  join('torchrun', 'convnets_model.py'),
  join('torchrun', 'convnets_data.py'),
  join('torchrun', 'train.py'),
];

/** Train options train.py does not reproduce; a recipe that sets one is refused. */
const UNSUPPORTED = ['augment', 'labelSmoothing', 'clipGradNorm'];

export async function run(argv: string[]): Promise<number> {
  const { values } = parse('export', argv, EXPORT_OPTIONS);
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  if (!values.torch) throw new UsageError('--torch <dir> is required: the new directory to write the PyTorch project into');
  const modelFlag = opt(values.model, (v) => parseModel(v));
  const presetFlag = opt(values.preset, parsePreset);
  const seedFlag = opt(values.seed, (v) => parseInteger('--seed', v, { allowZero: true }));
  const dir = resolve(values.torch);
  if (existsSync(dir)) throw new CliError(`${dir} already exists; export writes a new directory and never overwrites one: pick another --torch or remove it`);
  const weights = values.weights ? resolve(values.weights) : undefined;
  if (weights) await checkFile(weights);

  const config = await recipe(modelFlag, presetFlag, seedFlag, weights);
  const unsupported = UNSUPPORTED.filter((k) => config.train[k]);
  if (unsupported.length) throw new CliError(`cannot export: train.py does not reproduce ${unsupported.join(', ')} (set in ${config.preset ?? 'the run config'})`);
  const torch = await describeTorchModule(config, values.python);

  const say = (line: string) => process.stdout.write(`${line}\n`);
  await startBackend('cpu');
  const net = buildModel(config.model, { inputSize: config.inputSize, widthRatio: config.widthRatio, modelOptions: config.modelOptions, rng: new Rng(config.seed) });
  summarize(net, config.model, config.inputSize);
  checkSameShapes(net, torch, config.model);
  if (weights) {
    try {
      await loadWeightsFile(net, weights);
    } catch (e) {
      throw weightsError(e, weights, config.model);
    }
  } else {
    applyTrainInit(net, config.train.init as 'default' | 'xavier' | undefined, config.seed);
  }

  // Everything is written into a hidden sibling first and renamed into place at the end.
  await mkdir(dirname(dir), { recursive: true });
  const stage = await mkdtemp(join(dirname(dir), `.${basename(dir)}.export-`));
  try {
    await Promise.all(PROJECT_FILES.map((f) => copyFile(join(INTEROP_DIR, f), join(stage, basename(f)))));
    await writeFile(join(stage, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
    await saveWeightsFile(net, join(stage, 'init.safetensors'), {
      model: config.model,
      preset: config.preset ?? '',
      inputSize: String(config.inputSize),
      modelOptions: JSON.stringify({ ...config.modelOptions, ...(config.widthRatio !== undefined ? { widthRatio: config.widthRatio } : {}) }),
    });
    await writeFile(join(stage, 'README.md'), await readme(config, dir, weights));
    if (existsSync(dir)) throw new CliError(`${dir} appeared while exporting; nothing was written into it`);
    await chmod(stage, 0o755); // mkdtemp's 0700 was for the staging only
    await rename(stage, dir);
  } catch (e) {
    await rm(stage, { recursive: true, force: true });
    throw e;
  }

  const shown = shortPath(dir);
  const compat = torch.torch.startsWith('1.') && torch.python_version[0] === 3 && torch.python_version[1] >= 11 ? ' --redirects 9:1 --tee 9:1' : '';
  say(`convnets export: ${config.model} (${config.preset}), input ${config.inputSize}x${config.inputSize}, ${torch.params.toLocaleString('en-US')} parameters -> ${shown}`);
  say(`weights: ${weights ? shortPath(weights) : `convnets' seeded init (seed ${config.seed}${config.train.init === 'xavier' ? ', xavier' : ''})`}`);
  say(`checked with torch ${torch.torch} (${torch.python}${torch.gloo ? ', gloo' : ''}${torch.cuda ? ', cuda' : ''}): the seed's module has the same ${torch.state.length} tensors`);
  say('next:');
  say(`  torchrun --standalone --nproc_per_node 2${compat} ${shown}/train.py --out ${shown}/run`);
  say(`  convnets eval --weights ${shown}/run/model.safetensors`);
  if (compat) say(`  (--redirects 9:1 --tee 9:1: torch ${torch.torch}'s torchrun under Python ${torch.python_version.join('.')}; see ${shown}/README.md)`);
  return 0;
}

async function checkFile(path: string): Promise<void> {
  try {
    if (!(await stat(path)).isFile()) throw new CliError(`${path} is not a file; --weights takes a .safetensors file`);
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${path}: no such weights file` : `${path}: cannot read (${code})`, { cause: e });
  }
}

/**
 * The run config the project trains with: the config.json beside the weights (a convnets run)
 * unless --model or --preset asks for something else, else the preset's.
 */
async function recipe(modelFlag: ModelName | undefined, presetFlag: PresetName | undefined, seedFlag: number | undefined, weights: string | undefined): Promise<RunConfig> {
  const beside = weights ? await readRunConfig(configBeside(weights)) : null;
  const createdAt = new Date().toISOString();
  if (beside && (!modelFlag || modelFlag === beside.model) && !presetFlag) {
    return { ...beside, seed: seedFlag ?? beside.seed, backend: 'pytorch', createdAt };
  }
  if (!modelFlag) {
    throw new UsageError(weights ? `--model is required: there is no config.json beside ${weights} to say which network it holds` : '--model is required: lenet, alexnet, vgg11, nin or googlenet');
  }
  const preset = presetFlag ?? 'quick';
  const base = getPreset(modelFlag, preset);
  const { why: _why, reference: _reference, modelOptions, limitTrain, limitTest, ...train } = base;
  const widthRatio = (modelOptions as { widthRatio?: number }).widthRatio;
  return {
    version: 1,
    model: modelFlag,
    preset,
    modelOptions: modelOptions as Record<string, unknown>,
    inputSize: base.inputSize,
    ...(widthRatio !== undefined ? { widthRatio } : {}),
    normalize: (base as { normalize?: Normalize }).normalize,
    train,
    data: { limitTrain, limitTest },
    seed: seedFlag ?? 0,
    backend: 'pytorch',
    createdAt,
  };
}

/** Our network and the seed's PyTorch module must hold the same tensors, or the round trip cannot work. */
function checkSameShapes(net: Module, torch: TorchModule, model: ModelName): void {
  const ours = new Map<string, number[]>();
  for (const [name, p] of net.namedParameters()) ours.set(name, torchShape(p.layout, p.variable.shape));
  for (const [name, b] of net.namedBuffers()) ours.set(name, [...b.variable.shape]);
  const diffs: string[] = [];
  for (const [name, shape] of torch.state) {
    const mine = ours.get(name);
    if (!mine) diffs.push(`${name} only in PyTorch`);
    else if (mine.join(',') !== shape.join(',')) diffs.push(`${name} [${mine.join(', ')}] here, [${shape.join(', ')}] in PyTorch`);
    ours.delete(name);
  }
  for (const name of ours.keys()) diffs.push(`${name} only in convnets`);
  if (diffs.length) throw new CliError(`cannot export ${model}: the seed's PyTorch module does not match convnets' (${diffs.slice(0, 3).join('; ')}${diffs.length > 3 ? '; ...' : ''})`);
}

async function readme(config: RunConfig, dir: string, weights: string | undefined): Promise<string> {
  const template = await readFile(join(INTEROP_DIR, 'torchrun', 'README.template.md'), 'utf8');
  const t = config.train as { epochs?: number; batchSize?: number; lr?: number; optimizer?: string; momentum?: number; weightDecay?: number; init?: string; schedule?: { kind: string } };
  const options = Object.entries(config.modelOptions).map(([k, v]) => `${k} ${String(v)}`);
  if (config.widthRatio !== undefined && !('widthRatio' in config.modelOptions)) options.push(`widthRatio ${config.widthRatio}`);
  const values: Record<string, string> = {
    MODEL: config.model,
    PRESET: config.preset ?? 'custom',
    VARIANT: options.length ? options.join(', ') : 'default variant',
    INPUT: String(config.inputSize),
    INIT: weights ? `the weights in ${weights}` : `convnets' seeded init (seed ${config.seed}${t.init === 'xavier' ? ', Xavier' : ", PyTorch's default scheme"}), the weights 'convnets train' starts from`,
    RECIPE: `${t.optimizer} at lr ${t.lr}${t.momentum ? ` with momentum ${t.momentum}` : ''}${t.weightDecay ? `, weight decay ${t.weightDecay}` : ''}, batch ${t.batchSize}, ${t.epochs} epochs`,
    DIR: relative(process.cwd(), dir).startsWith('..') ? dir : relative(process.cwd(), dir) || '.',
    CREATED: config.createdAt.slice(0, 10),
    EPOCHS: String(t.epochs),
    BATCH: String(t.batchSize),
    LR: String(t.lr),
    SCHEDULE: t.schedule?.kind ?? 'constant',
    LIMITS: config.data?.limitTrain || config.data?.limitTest ? `${config.data.limitTrain ?? 0} / ${config.data.limitTest ?? 0}, the preset's` : '0 / 0',
    SEED: String(config.seed),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (m, key: string) => values[key] ?? m);
}

function shortPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
}
