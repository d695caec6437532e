import type { Module } from './module.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { loadStateDict, stateDict } from './state_dict.js';

/** The network's weights as a PyTorch-ready .safetensors file (works in browsers). */
export function saveWeights(module: Module, metadata?: Record<string, string>): Uint8Array {
  return encodeSafetensors(stateDict(module), { format: 'pt', ...metadata });
}

/** Loads .safetensors bytes saved by convnets or by PyTorch into the network. */
export function loadWeights(module: Module, bytes: Uint8Array | ArrayBuffer, source = 'weights file'): Record<string, string> {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const { tensors, metadata } = decodeSafetensors(data, source);
  loadStateDict(module, tensors, source);
  return metadata;
}
