import type { Variable } from '@tensorflow/tfjs-core';
import { downloadTensors } from './memory.js';
import type { Module } from './module.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { loadStateDict, stateDict, type LoadStateDictOptions } from './state_dict.js';

/** The network's weights as a PyTorch-ready .safetensors file (works in browsers). */
export function saveWeights(module: Module, metadata?: Record<string, string>): Uint8Array {
  return encodeSafetensors(stateDict(module), { format: 'pt', ...metadata });
}

/** saveWeights for any backend: reads the weights asynchronously first (GPU backends need it). */
export async function saveWeightsAsync(module: Module, metadata?: Record<string, string>): Promise<Uint8Array> {
  await downloadTensors(stateTensors(module));
  return saveWeights(module, metadata);
}

/** Every tensor the state_dict holds: parameters and buffers. */
export function stateTensors(module: Module): Variable[] {
  return [...module.parameters().map((p) => p.variable), ...module.namedBuffers().map(([, b]) => b.variable)];
}

/** Loads .safetensors bytes saved by convnets or by PyTorch into the network. */
export function loadWeights(module: Module, bytes: Uint8Array | ArrayBuffer, source = 'weights file', options: LoadStateDictOptions = {}): Record<string, string> {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const { tensors, metadata } = decodeSafetensors(data, source);
  loadStateDict(module, tensors, source, options);
  return metadata;
}
