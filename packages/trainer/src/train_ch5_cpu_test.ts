import { useBackend } from '@convnets/backends';
import { beforeAll, describe, it } from 'vitest';
import { expectResumeBitEqual } from '../test/resume_check.js';
import { MemoryCheckpointStore } from './checkpoint.js';

describe('train (cpu)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('resumes bit for bit after an abort mid-epoch', async () => {
    // The cpu backend is ~10x slower than wasm here: 256 examples, 4 steps per epoch.
    await expectResumeBitEqual(() => new MemoryCheckpointStore(), { epoch: 2, step: 3 }, {}, [256, 128]);
  });
});
