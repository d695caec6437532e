/**
 * config.json: what a run was trained with, written beside its weights so that eval and
 * predict (and --resume) rebuild exactly the same network variant and preprocessing.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '@convnets/core/node';
import { createModel, MODEL_NAMES, type ModelName } from '@convnets/models';
import type { Module, Rng } from '@convnets/core';
import { CliError, oneLine } from './errors.js';

/** Per-image normalisation: true = Fashion-MNIST's mean/std. */
export type Normalize = boolean | { mean: number; std: number };

export const CONFIG_FILE = 'config.json';

export interface RunConfig {
  /** Format version of this file. */
  version: 1;
  model: ModelName;
  preset?: string;
  /** Passed to createModel, with inputSize (and widthRatio when set). */
  modelOptions: Record<string, unknown>;
  inputSize: number;
  widthRatio?: number;
  /** Per-image preprocessing used in training (and so at eval/predict time). */
  normalize?: Normalize;
  /** The training options (epochs, batch size, lr, optimizer, ...), as run. */
  train: Record<string, unknown>;
  /** Stratified subsets used (undefined: the full split). */
  data?: { limitTrain?: number; limitTest?: number };
  seed: number;
  backend?: string;
  createdAt: string;
}

export async function writeRunConfig(path: string, config: RunConfig): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`);
}

/** Reads a config.json; null when there is none. A config that cannot be read is an error. */
export async function readRunConfig(path: string): Promise<RunConfig | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError(`${path}: cannot read (${(e as Error).message})`, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${path}: not valid JSON (${(e as Error).message}); delete it or fix it`, { cause: e });
  }
  const c = json as Partial<RunConfig>;
  if (typeof c !== 'object' || c === null || !MODEL_NAMES.includes(c.model as ModelName) || typeof c.inputSize !== 'number') {
    throw new CliError(`${path}: not a convnets run config (needs "model" and "inputSize")`);
  }
  return { version: 1, modelOptions: {}, train: {}, seed: 0, createdAt: '', ...c } as RunConfig;
}

/** config.json beside a weights file, if any. */
export function configBeside(weightsPath: string): string {
  return join(dirname(weightsPath), CONFIG_FILE);
}

/** Builds the network a config describes. Shape errors (input too small) become CliErrors. */
export function buildModel(
  model: ModelName,
  o: { inputSize: number; widthRatio?: number; modelOptions?: Record<string, unknown>; rng?: Rng },
): Module {
  try {
    return createModel(model, {
      ...(o.modelOptions ?? {}),
      inputSize: o.inputSize,
      ...(o.widthRatio !== undefined ? { widthRatio: o.widthRatio } : {}),
      ...(o.rng ? { rng: o.rng } : {}),
    });
  } catch (e) {
    const problem = (e as { problem?: string }).problem;
    if (problem !== undefined) {
      const hint = problem === 'too-small' ? '; use a larger --input-size' : '';
      throw new CliError(`${model} cannot take ${o.inputSize}x${o.inputSize} inputs: ${oneLine((e as Error).message)}${hint}`, { cause: e });
    }
    throw new CliError(`cannot build ${model}: ${oneLine((e as Error).message)}`, { cause: e });
  }
}
