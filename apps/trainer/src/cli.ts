#!/usr/bin/env node
/** convnets: train, evaluate and run the classic CNNs on Fashion-MNIST. Dispatches to src/commands/. */
import { readFileSync } from 'node:fs';
import { CliError, didYouMean, oneLine, UsageError } from './errors.js';
import { warn } from './terminal.js';
import { printHelp } from './help.js';

const COMMANDS = {
  train: { about: 'train a network on Fashion-MNIST', load: () => import('./commands/train.js') },
  eval: { about: 'test accuracy, per-class accuracy and confusion matrix of saved weights', load: () => import('./commands/eval.js') },
  predict: { about: 'classify PNG/JPEG images with saved weights', load: () => import('./commands/predict.js') },
  summary: { about: "a network's per-block output shapes and parameter counts", load: () => import('./commands/summary.js') },
  data: { about: 'where Fashion-MNIST comes from, counts and checksums', load: () => import('./commands/data.js') },
  export: { about: 'write a PyTorch project that trains the network under torchrun (DDP)', load: () => import('./commands/export.js') },
} as const;
type CommandName = keyof typeof COMMANDS;

const HELP = `Usage: convnets <command> [options]

The classic CNNs of Dive into Deep Learning (LeNet, AlexNet, VGG, NiN, GoogLeNet, ResNet-18)
on TensorFlow.js, trained on Fashion-MNIST.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)}${c.about}`)
  .join('\n')}

Run 'convnets <command> --help' for a command's options and examples.

Examples:
  convnets train                      # LeNet, quick preset, into runs/lenet-quick
  convnets eval --weights runs/lenet-quick/model.safetensors
  convnets predict --weights runs/lenet-quick/model.safetensors --test-index 0,1,2
  convnets summary --model vgg11 --width-ratio 8
  convnets data
  convnets export --model lenet --torch lenet-torch
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && rest[0] && rest[0] in COMMANDS) return main([rest[0], '--help']);
    printHelp(HELP);
    return 0;
  }
  if (first === '--version' || first === '-V') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const name = first as CommandName;
  try {
    if (!(first in COMMANDS)) {
      const hint = didYouMean(first, Object.keys(COMMANDS));
      throw new UsageError(`unknown command '${first}'${hint ? ` (did you mean ${hint}?)` : ''}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    }
    const command = await COMMANDS[name].load();
    return await command.run(rest);
  } catch (e) {
    const prefix = first in COMMANDS ? `convnets ${name}` : 'convnets';
    if (e instanceof UsageError) {
      warn(`${prefix}: ${e.message}`);
      if (verbose) process.stderr.write(`${e.stack}\n`);
      return e.exitCode;
    }
    // A GPU lost mid-command fails a read with the runtime's own words (none, in Dawn): name the loss.
    const lost = e instanceof CliError ? undefined : await (await import('@convnets/backends')).asGpuDeviceLost(e);
    if (lost) {
      warn(`${prefix}: error: ${oneLine(lost.message)}; run it again, or with --backend wasm to go on without the GPU`);
      return 1;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    const known = err instanceof CliError;
    warn(`${prefix}: error: ${oneLine(err.message)}${known || verbose ? '' : ' (run with --verbose for details)'}`);
    if (verbose) {
      process.stderr.write(`${err.stack}\n`);
      if (err.cause instanceof Error) process.stderr.write(`caused by: ${err.cause.stack}\n`);
    }
    return known ? err.exitCode : 1;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Backends may hold handles (worker threads, GPU devices) that keep Node alive: do not wait for them.
setTimeout(() => process.exit(code), 500).unref();
