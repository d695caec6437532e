import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('hand-written WebAssembly', () => {
  it('every *_wasm.ts is assembled from its current .wat (pnpm --filter @convnets/backends gen:wasm)', () => {
    const script = fileURLToPath(new URL('../../scripts/gen-wasm.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
