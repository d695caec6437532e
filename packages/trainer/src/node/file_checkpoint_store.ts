import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@convnets/core/node';
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

  async load(): Promise<Checkpoint | null> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.weightsPath);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      throw new Error(`${this.weightsPath}: cannot read the checkpoint (${code ?? (e as Error).message})`);
    }
    return decodeCheckpoint(bytes, this.weightsPath);
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    await writeFileAtomic(this.weightsPath, encodeCheckpoint(checkpoint));
    await writeFileAtomic(this.statePath, `${JSON.stringify(checkpoint.state, null, 2)}\n`);
  }
}
