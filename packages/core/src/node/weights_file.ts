import { readFile } from 'node:fs/promises';
import type { Module } from '../module.js';
import { loadWeights, saveWeights } from '../weights.js';
import { writeFileAtomic } from './write_file_atomic.js';

/** Saves the network's weights as a PyTorch-ready .safetensors file, atomically. */
export async function saveWeightsFile(module: Module, path: string, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, await saveWeights(module, metadata));
}

/** Loads a .safetensors file (ours or PyTorch's) into the network. */
export async function loadWeightsFile(module: Module, path: string): Promise<Record<string, string>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${path}: no such weights file` : `${path}: cannot read weights file (${code ?? (e as Error).message})`);
  }
  return loadWeights(module, bytes, path);
}
