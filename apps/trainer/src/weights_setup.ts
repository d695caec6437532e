/** eval and predict: rebuild the network a weights file was saved from (config.json beside it, flags override). */
import { checkRegularFile, loadWeightsFile } from '@convnets/core/node';
import type { Module } from '@convnets/core';
import { defaultInputSize, type ModelName } from '@convnets/models';
import { getPreset } from '@convnets/trainer';
import { UsageError } from './errors.js';
import { summarize, weightsError } from './model_setup.js';
import { checkWidthRatio, opt, parseModel, parsePreset, parseShapeFlags } from './options.js';
import { buildModel, configBeside, readRunConfig, type Normalize } from './run_config.js';

export interface LoadedNetwork {
  net: Module;
  model: ModelName;
  inputSize: number;
  normalize?: Normalize;
  /** Where the variant came from: the run's config.json or the preset. */
  from: string;
}

export async function loadNetwork(values: {
  model?: string;
  weights?: string;
  preset?: string;
  'input-size'?: string;
  'width-ratio'?: string;
}): Promise<LoadedNetwork> {
  const weights = values.weights;
  if (!weights) throw new UsageError('--weights <file> is required (e.g. runs/lenet-quick/model.safetensors)');
  const modelFlag = opt(values.model, (v) => parseModel(v));
  const shape = parseShapeFlags(values);
  const presetFlag = opt(values.preset, parsePreset);
  const cfgPath = configBeside(weights);
  const cfg = await readRunConfig(cfgPath);
  const useCfg = cfg && (!modelFlag || modelFlag === cfg.model) && !presetFlag;
  let model: ModelName;
  let modelOptions: Record<string, unknown>;
  let inputSize: number;
  let widthRatio: number | undefined;
  let normalize: Normalize | undefined;
  let from: string;
  if (useCfg) {
    model = cfg.model;
    modelOptions = cfg.modelOptions;
    inputSize = shape.inputSize ?? cfg.inputSize;
    widthRatio = shape.widthRatio ?? cfg.widthRatio;
    normalize = cfg.normalize;
    from = cfgPath;
  } else {
    if (!modelFlag) throw new UsageError(`--model is required: there is no config.json beside ${weights} to say which network it holds`);
    model = modelFlag;
    const preset = presetFlag ?? 'quick';
    const p = getPreset(model, preset);
    modelOptions = (p.modelOptions ?? {}) as Record<string, unknown>;
    inputSize = shape.inputSize ?? p.inputSize ?? defaultInputSize(model);
    widthRatio = shape.widthRatio ?? (modelOptions.widthRatio as number | undefined);
    normalize = (p as { normalize?: Normalize }).normalize;
    from = `preset ${preset}`;
  }
  checkWidthRatio(model, shape.widthRatio);
  const net = buildModel(model, { inputSize, widthRatio, modelOptions });
  summarize(net, model, inputSize);
  try {
    await loadWeightsFile(net, weights, { onNote: (n) => process.stderr.write(`note: ${n}\n`) });
  } catch (e) {
    throw weightsError(e, weights, model);
  }
  net.eval();
  return { net, model, inputSize, normalize, from };
}

/** Before any work (the backend, the data): --weights must name an existing regular file. */
export async function checkWeightsFile(weights: string): Promise<void> {
  try {
    await checkRegularFile(weights, 'weights file');
  } catch (e) {
    throw weightsError(e, weights);
  }
}
