/**
 * Shared command-line parsing: node:util parseArgs in strict mode, with its errors turned into
 * one-line UsageErrors (exit 2), and the value checks every command uses.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BACKEND_NAMES, type BackendName } from '@convnets/backends';
import { parseWasmThreads } from '@convnets/backends/node';
import { MODEL_NAMES, type ModelName } from '@convnets/models';
import { PRESET_NAMES } from '@convnets/trainer';
import { didYouMean, UsageError } from './errors.js';
import { asInvoked } from './invocation.js';

export type PresetName = (typeof PRESET_NAMES)[number];
type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command takes. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean', short: 'v' },
} as const satisfies Options;

/** Flags that pick and shape a network. */
export const MODEL_OPTIONS = {
  model: { type: 'string', short: 'm' },
  'input-size': { type: 'string' },
  'width-ratio': { type: 'string' },
} as const satisfies Options;

export const BACKEND_OPTIONS = {
  backend: { type: 'string', short: 'b' },
  threads: { type: 'string' },
} as const satisfies Options;

/** The help lines of BACKEND_OPTIONS' --threads. */
export const THREADS_HELP = `      --threads <n>        wasm threads, 1 to 8 (default: every core, or $CONVNETS_WASM_THREADS)`;

export const DATA_OPTIONS = {
  'data-dir': { type: 'string' },
  download: { type: 'boolean' },
} as const satisfies Options;

/** parseArgs in strict mode; its errors become one-line usage errors that name the command. */
export function parse<O extends Options>(command: string, argv: string[], options: O, allowPositionals = false): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean }>> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (e) {
    throw new UsageError(explainParseError(command, e as Error & { code?: string }, Object.keys(options), argv));
  }
}

function explainParseError(command: string, e: Error & { code?: string }, known: string[], argv: string[]): string {
  const msg = e.message;
  const quoted = /'([^']+)'/.exec(msg)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const flag = quoted.replace(/^-+/, '');
      const hint = didYouMean(flag, known);
      return asInvoked(`unknown option ${quoted}${hint ? ` (did you mean --${hint}?)` : ''}; see 'convnets ${command} --help'`);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = /'(-[^ ']+)/.exec(msg)?.[1] ?? quoted;
      if (/argument missing/.test(msg)) return `option ${flag} needs a value`;
      if (/argument is ambiguous/.test(msg)) {
        // parseArgs will not take '-1' as a value: it looks like an option.
        const next = argv[argv.indexOf(flag) + 1] ?? '';
        if (/^-\.?\d/.test(next)) return `${flag} cannot be negative, got ${next}; see 'convnets ${command} --help'`;
        return `option ${flag} needs a value, but is followed by the option ${next}`;
      }
      return `option ${flag} does not take a value`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return asInvoked(`unexpected argument '${quoted}'; 'convnets ${command}' takes options only (see --help)`);
    default:
      return msg.split('\n')[0];
  }
}

export function parseModel(value: string | undefined, flag = '--model'): ModelName {
  if (value === undefined) throw new UsageError(`${flag} is required: one of ${MODEL_NAMES.join(', ')}`);
  const v = value.toLowerCase();
  if ((MODEL_NAMES as readonly string[]).includes(v)) return v as ModelName;
  const hint = didYouMean(v, MODEL_NAMES);
  throw new UsageError(`unknown model '${value}': choose one of ${MODEL_NAMES.join(', ')}${hint ? ` (did you mean ${hint}?)` : ''}`);
}

export function parsePreset(value: string | undefined): PresetName {
  const v = (value ?? 'quick').toLowerCase();
  if ((PRESET_NAMES as readonly string[]).includes(v)) return v as PresetName;
  throw new UsageError(`unknown preset '${value}': choose one of ${PRESET_NAMES.join(', ')}`);
}

/** --threads: wasm threads, checked before anything runs. */
export function parseThreads(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseWasmThreads(value, '--threads');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function parseBackend(value: string | undefined): BackendName | 'auto' {
  const v = (value ?? 'auto').toLowerCase();
  if (v === 'auto' || (BACKEND_NAMES as readonly string[]).includes(v)) return v as BackendName | 'auto';
  throw new UsageError(`unknown backend '${value}': choose one of auto, ${BACKEND_NAMES.join(', ')}`);
}

export function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  const v = value.toLowerCase();
  if ((choices as readonly string[]).includes(v)) return v as T;
  throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got '${value}'`);
}

/** A whole number > 0 (or >= 0 with allowZero). */
export function parseInteger(flag: string, value: string, { allowZero = false } = {}): number {
  const n = /^\s*[+]?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw new UsageError(`${flag} must be a whole number${allowZero ? '' : ' greater than 0'}, got '${value}'`);
  }
  if (n === 0 && !allowZero) throw new UsageError(`${flag} must be greater than 0, got ${value.trim()}`);
  return n;
}

/** A finite number > 0. */
export function parsePositive(flag: string, value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number greater than 0, got '${value}'`);
  if (n <= 0) throw new UsageError(`${flag} must be greater than 0, got ${value.trim()}`);
  return n;
}

/** Applies a parser when the flag was given. */
export function opt<T>(value: string | undefined, parser: (v: string) => T): T | undefined {
  return value === undefined ? undefined : parser(value);
}

/** The largest --input-size: Fashion-MNIST's 28x28 images are upsampled to it (the book uses 224 at most). */
export const MAX_INPUT_SIZE = 512;

/** The shape flags every model command accepts. */
export function parseShapeFlags(values: { 'input-size'?: string; 'width-ratio'?: string }): { inputSize?: number; widthRatio?: number } {
  const inputSize = opt(values['input-size'], (v) => parseInteger('--input-size', v));
  if (inputSize !== undefined && inputSize > MAX_INPUT_SIZE) {
    throw new UsageError(`--input-size must be at most ${MAX_INPUT_SIZE} (the 28x28 images are resized to it; the book uses 224 at most), got ${inputSize}`);
  }
  return { inputSize, widthRatio: opt(values['width-ratio'], (v) => parsePositive('--width-ratio', v)) };
}

/** --width-ratio divides VGG's channel counts; any other model refuses it before work starts. */
export function checkWidthRatio(model: ModelName, widthRatio: number | undefined): void {
  if (widthRatio !== undefined && widthRatio !== 1 && model !== 'vgg11') {
    throw new UsageError(`--width-ratio only applies to vgg11 (it divides VGG's channel counts); leave it out for ${model}`);
  }
}

/** What eval and predict both need first: a backend choice and a weights file (and a valid --model, if given). */
export function parseWeightsFlags(values: {
  backend?: string;
  threads?: string;
  weights?: string;
  model?: string;
  'input-size'?: string;
  'width-ratio'?: string;
}): { backendFlag: BackendName | 'auto'; threads: number | undefined; weights: string } {
  const backendFlag = parseBackend(values.backend);
  const threads = parseThreads(values.threads);
  const shape = parseShapeFlags(values);
  if (values.model !== undefined) checkWidthRatio(parseModel(values.model), shape.widthRatio);
  if (!values.weights) throw new UsageError('--weights <file> is required (e.g. runs/lenet-quick/model.safetensors)');
  return { backendFlag, threads, weights: values.weights };
}
