import { join } from 'node:path';
import { readRegularFile, writeFileAtomic } from '@convnets/core/node';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint.js';
import type { Checkpoint, CheckpointStore } from '../types.js';

/**
 * Checkpoints in a directory: `checkpoint.safetensors` (the model's state_dict under PyTorch
 * names, optimizer slots under `optimizer/`, and the run state as JSON metadata) is the single
 * source of truth, written atomically (temp file, fsync, rename). `checkpoint.json` is a
 * human-readable copy of the state written after it; load() never depends on it.
 */
export class FileCheckpointStore implements CheckpointStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  get weightsPath(): string {
    return join(this.dir, 'checkpoint.safetensors');
  }

  get statePath(): string {
    return join(this.dir, 'checkpoint.json');
  }

  get location(): string {
    return this.weightsPath;
  }

  /** The latest checkpoint, or null when there is none. Only a regular file, at most `maxBytes`, is read. */
  async load(limits: { maxBytes?: number } = {}): Promise<Checkpoint | null> {
    let bytes: Uint8Array;
    try {
      bytes = await readRegularFile(this.weightsPath, { maxBytes: limits.maxBytes ?? Number.MAX_SAFE_INTEGER, what: 'checkpoint' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException & { code?: string }).code === 'ENOENT') return null;
      throw e;
    }
    return decodeCheckpoint(bytes, this.weightsPath);
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    await writeFileAtomic(this.weightsPath, encodeCheckpoint(checkpoint));
    await writeFileAtomic(this.statePath, `${JSON.stringify(checkpoint.state, null, 2)}\n`);
  }
}
