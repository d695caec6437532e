import { readRegularFile } from './read_regular_file.js';
import type { Module } from '../module.js';
import type { LoadStateDictOptions } from '../state_dict.js';
import { loadWeights, saveWeights, stateTensors } from '../weights.js';
import { writeFileAtomic } from './write_file_atomic.js';

/** Room for a .safetensors header (names, shapes, metadata) beyond the tensors' bytes. */
const HEADER_ALLOWANCE = 16 * 1024 * 1024;

/**
 * The most bytes a .safetensors file of this network's weights can sensibly take: every value
 * at 8 bytes (F64/I64, the widest dtypes) plus a generous header. Larger files are refused
 * before they are read.
 */
export function maxWeightsFileBytes(module: Module, tensorsPerValue = 1): number {
  const values = stateTensors(module).reduce((n, v) => n + v.size, 0);
  return 8 * values * tensorsPerValue + HEADER_ALLOWANCE;
}

/** Saves the network's weights as a PyTorch-ready .safetensors file, atomically. */
export async function saveWeightsFile(module: Module, path: string, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, await saveWeights(module, metadata));
}

/**
 * Loads a .safetensors file (ours or PyTorch's) into the network. Only a regular file no larger
 * than the network's weights can be is read; every error names the path once.
 */
export async function loadWeightsFile(module: Module, path: string, options: LoadStateDictOptions = {}): Promise<Record<string, string>> {
  const bytes = await readWeightsBytes(path, maxWeightsFileBytes(module));
  return loadWeights(module, bytes, path, options);
}

/** The bytes of a weights file, with readRegularFile's checks ("no such weights file", ...). */
export function readWeightsBytes(path: string, maxBytes: number): Promise<Uint8Array> {
  return readRegularFile(path, { maxBytes, what: 'weights file' });
}
