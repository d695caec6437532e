/** `convnets summary`: per-block output shapes and parameter counts, as a table or @convnets/models' JSON. */
import { useBackend } from '@convnets/backends';
import { defaultInputSize, formatSummary } from '@convnets/models';
import { getPreset } from '@convnets/trainer';
import { summarize } from '../model_setup.js';
import { COMMON_OPTIONS, MODEL_OPTIONS, opt, parse, parseModel, parsePreset, parseShapeFlags } from '../options.js';
import { buildModel } from '../run_config.js';

export const help = `Usage: convnets summary --model <name> [options]

Prints each block's output shape (NCHW, as PyTorch prints it) and parameter count, and the total.

Options:
  -m, --model <name>       lenet | alexnet | vgg11 | nin | googlenet | resnet18
      --input-size <n>     input height and width (default: the model's, e.g. 224 for AlexNet)
      --width-ratio <r>    divide the channel counts by r (VGG's "ratio")
      --preset <name>      book | seed | quick: build the variant that preset trains
      --json               the summary as JSON ({ model, inputShape, params, layers })
  -v, --verbose            stack traces on errors
  -h, --help               this help

Examples:
  convnets summary --model lenet
  convnets summary --model vgg11 --width-ratio 8 --input-size 96
  convnets summary --model alexnet --json
`;

const SUMMARY_OPTIONS = {
  ...COMMON_OPTIONS,
  ...MODEL_OPTIONS,
  preset: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse('summary', argv, SUMMARY_OPTIONS);
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  const model = parseModel(values.model);
  const shape = parseShapeFlags(values);
  const preset = opt(values.preset, parsePreset);
  const p = preset ? getPreset(model, preset) : undefined;
  const modelOptions = (p?.modelOptions ?? {}) as Record<string, unknown>;
  const inputSize = shape.inputSize ?? p?.inputSize ?? defaultInputSize(model);
  const widthRatio = shape.widthRatio ?? (modelOptions.widthRatio as number | undefined);
  // Shapes only: the CPU backend is always there and starts instantly.
  await useBackend('cpu');
  const net = buildModel(model, { inputSize, widthRatio, modelOptions });
  const info = summarize(net, model, inputSize);
  process.stdout.write(values.json ? `${JSON.stringify(info, null, 2)}\n` : `${formatSummary(info)}\n`);
  return 0;
}
