import { decodeSafetensors, encodeSafetensors, loadStateDict, stateTensors, type Module, type TensorEntry } from '@convnets/core';
import type { Checkpoint, CheckpointState, CheckpointStore } from './types.js';

/** Prefix of optimizer slots inside a checkpoint's .safetensors (model tensors keep their names). */
export const OPTIMIZER_PREFIX = 'optimizer/';
const STATE_KEY = 'convnets.checkpoint';

/**
 * One .safetensors blob holding the whole checkpoint: the model's state_dict under its PyTorch
 * names, optimizer slots under `optimizer/`, and the JSON state in the metadata. Being one file,
 * it is written atomically as a unit.
 */
export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const tensors: Record<string, TensorEntry> = { ...c.weights };
  for (const [k, v] of Object.entries(c.optimizer)) tensors[OPTIMIZER_PREFIX + k] = v;
  return encodeSafetensors(tensors, { format: 'pt', [STATE_KEY]: JSON.stringify(c.state) });
}

export function decodeCheckpoint(bytes: Uint8Array, source = 'checkpoint'): Checkpoint {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  const json = metadata[STATE_KEY];
  if (!json) throw new Error(`${source}: not a convnets checkpoint (no "${STATE_KEY}" metadata); plain weights load with loadWeights`);
  let state: CheckpointState;
  try {
    state = JSON.parse(json) as CheckpointState;
  } catch (e) {
    throw new Error(`${source}: the checkpoint state is not valid JSON (${(e as Error).message}); the file is damaged`);
  }
  if (state.format !== 'convnets-checkpoint' || state.version !== 1) {
    throw new Error(`${source}: unsupported checkpoint format ${String(state.format)} v${String(state.version)}`);
  }
  const weights: Record<string, TensorEntry> = {};
  const optimizer: Record<string, TensorEntry> = {};
  for (const [k, v] of Object.entries(tensors)) {
    if (k.startsWith(OPTIMIZER_PREFIX)) optimizer[k.slice(OPTIMIZER_PREFIX.length)] = v;
    else weights[k] = v;
  }
  return { state, weights, optimizer };
}

/**
 * The most bytes a checkpoint of this model can sensibly take: its state_dict plus up to three
 * optimizer slots per value, every value at 8 bytes, and room for the header and run state.
 */
export function maxCheckpointBytes(model: Module): number {
  const values = stateTensors(model).reduce((n, v) => n + v.size, 0);
  return 8 * values * 4 + 64 * 1024 * 1024;
}

/** Loads only the model weights of a checkpoint (e.g. to evaluate or export it). */
export function loadCheckpointWeights(model: Module, checkpoint: Checkpoint, source = 'checkpoint'): void {
  loadStateDict(model, checkpoint.weights, source);
}

/**
 * A browser-safe store that keeps the latest checkpoint as encoded bytes in memory
 * (a real snapshot: later training does not change it). `bytes` exposes them.
 */
export class MemoryCheckpointStore implements CheckpointStore {
  bytes: Uint8Array | null = null;
  saves = 0;

  async load(): Promise<Checkpoint | null> {
    return this.bytes ? decodeCheckpoint(this.bytes, 'in-memory checkpoint') : null;
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    this.bytes = encodeCheckpoint(checkpoint);
    this.saves += 1;
  }
}
