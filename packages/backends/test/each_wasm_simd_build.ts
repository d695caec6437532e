import { afterAll, beforeAll, describe, expect } from 'vitest';
import { useBackend } from '../src/index.js';
import { forceWasmSimdBuild, WASM_SIMD_BUILDS, wasmSimdBuild, type WasmSimdBuild } from '../src/wasm/simd_build.js';

/**
 * Runs `tests` once per build of the hand-written kernels (simd128, relaxed-simd), on wasm. The
 * relaxed run fails where the runtime has no relaxed SIMD: in Node, useBackend('wasm') turns it
 * on (Node 20) or has it (22+).
 */
export function describeEachWasmSimdBuild(tests: (build: WasmSimdBuild) => void): void {
  describe.each(WASM_SIMD_BUILDS)('the %s build', (build) => {
    beforeAll(async () => {
      await useBackend('wasm');
      forceWasmSimdBuild(build);
      expect(wasmSimdBuild()).toBe(build);
    });
    afterAll(() => forceWasmSimdBuild(undefined));
    tests(build);
  });
}
