/** Builds a network from flags/config and checks that the input size fits it, naming the layer that refuses. */
import type { Module } from '@convnets/core';
import { summary, type ModelName } from '@convnets/models';
import { CliError, oneLine } from './errors.js';

export type ModelSummary = ReturnType<typeof summary>;

/** summary() of every layer for a 1-channel input; a layer that refuses the input size becomes a one-line CliError (exit 1). */
export function summarize(net: Module, model: ModelName, inputSize: number): ModelSummary {
  try {
    return summary(net, { inputSize, inChannels: 1 }, { expand: true });
  } catch (e) {
    const tooSmall = (e as { problem?: string }).problem === 'too-small';
    throw new CliError(`${model} cannot take ${inputSize}x${inputSize} inputs: ${oneLine((e as Error).message)}${tooSmall ? '; use a larger --input-size' : ''}`, {
      cause: e,
    });
  }
}

/** One line for weights that do not fit the network (StateDictError or a bad file). */
export function weightsError(e: unknown, weights: string, model?: ModelName): CliError {
  const err = e as Error & { missing?: string[]; unexpected?: string[]; mismatched?: string[] };
  if (err.name === 'StateDictError' && err.missing && err.unexpected && err.mismatched) {
    const parts: string[] = [];
    if (err.mismatched.length) parts.push(`${err.mismatched.length} mis-shaped (${err.mismatched[0]}${err.mismatched.length > 1 ? ', ...' : ''})`);
    if (err.missing.length) parts.push(`${err.missing.length} missing (${err.missing.slice(0, 3).join(', ')}${err.missing.length > 3 ? ', ...' : ''})`);
    if (err.unexpected.length) parts.push(`${err.unexpected.length} unexpected (${err.unexpected.slice(0, 3).join(', ')}${err.unexpected.length > 3 ? ', ...' : ''})`);
    return new CliError(
      `${weights} does not fit ${model}: ${parts.join(', ')} tensors; was it saved from ${model} with the same --input-size and --width-ratio?`,
      { cause: e },
    );
  }
  // Our file errors (FileReadError, SafetensorsError, NonFiniteWeightsError) already start with the path.
  const msg = oneLine(err.message);
  const fix = (err as { code?: string }).code === 'ENOENT' ? '; check --weights (convnets train writes runs/<model>-<preset>/model.safetensors)' : '';
  return new CliError(msg.startsWith(`${weights}: `) ? `${msg}${fix}` : `cannot load weights from ${weights}: ${msg}`, { cause: e });
}
