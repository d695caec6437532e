import type { Variable } from '@tensorflow/tfjs-core';
import type { Module } from './module.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { loadStateDict, stateDict, type LoadStateDictOptions } from './state_dict.js';

/**
 * The network's weights as a PyTorch-ready .safetensors file (works in browsers). Asynchronous
 * on every backend: GPU backends (WebGPU, WebGL) can only read tensors back asynchronously.
 */
export async function saveWeights(module: Module, metadata?: Record<string, string>): Promise<Uint8Array> {
  return encodeSafetensors(await stateDict(module), { format: 'pt', ...metadata });
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
