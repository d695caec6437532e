/** `convnets summary`: every layer's output shape and parameter count, as a table or @convnets/models' JSON. */
import { buildShapeOnly } from '@convnets/core';
import { useBackend } from '@convnets/backends';
import { formatSummary } from '@convnets/models';
import { getPreset } from '@convnets/trainer';
import { summarize } from '../model_setup.js';
import { COMMON_OPTIONS, MODEL_OPTIONS, parse, parseModel, parsePreset, parseShapeFlags } from '../options.js';
import { buildModel } from '../run_config.js';
import { printHelp } from '../help.js';

export const help = `Usage: convnets summary --model <name> [options]

Prints every layer's output shape (NCHW, as PyTorch prints it) and parameter count, and the
total, for the network 'convnets train' builds with the same flags (by default the quick
preset's variant and input size). Shapes are worked out layer by layer without computing
anything or allocating the weights, so even VGG-11 at 224 prints at once.

Options:
  -m, --model <name>       lenet | alexnet | vgg11 | nin | googlenet | resnet18
      --preset <name>      book | seed | quick (default quick): the variant and input size
                           that preset trains
      --input-size <n>     input height and width (default: the preset's)
      --width-ratio <r>    divide the channel counts by r (VGG's "ratio")
      --json               the summary as JSON ({ model, inputShape, params, layers })
  -v, --verbose            stack traces on errors
  -h, --help               this help

Examples:
  convnets summary --model lenet                  # the ReLU/max-pool LeNet train trains
  convnets summary --model lenet --preset book    # the book's sigmoid/avg-pool LeNet
  convnets summary --model vgg11 --preset book --width-ratio 1 --input-size 224
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
    printHelp(help);
    return 0;
  }
  const model = parseModel(values.model);
  const shape = parseShapeFlags(values);
  // The same default as train: what `convnets train --model <name>` would build.
  const p = getPreset(model, parsePreset(values.preset));
  const modelOptions = (p.modelOptions ?? {}) as Record<string, unknown>;
  const inputSize = shape.inputSize ?? p.inputSize;
  const widthRatio = shape.widthRatio ?? (modelOptions.widthRatio as number | undefined);
  // Nothing runs, but BatchNorm's running statistics are (tiny) tensors: the CPU backend starts at once.
  await useBackend('cpu');
  const net = buildShapeOnly(() => buildModel(model, { inputSize, widthRatio, modelOptions }));
  const info = summarize(net, model, inputSize);
  process.stdout.write(values.json ? `${JSON.stringify(info, null, 2)}\n` : `${formatSummary(info)}\n`);
  return 0;
}
