import { afterEach, describe, expect, it } from 'vitest';
import { forceWasmSimdBuild, relaxedSimdSupported, wasmSimdBuild } from '../wasm/simd_build.js';
import { setUpWasmSimd } from './wasm_simd.js';

afterEach(() => {
  delete process.env.CONVNETS_WASM_SIMD;
  forceWasmSimdBuild(undefined);
});

describe('setUpWasmSimd', () => {
  it('turns relaxed SIMD on where this Node can have it (Node 20: its V8 flag), and it is the pick', () => {
    setUpWasmSimd();
    expect(relaxedSimdSupported()).toBe(true);
    expect(wasmSimdBuild()).toBe('relaxed-simd');
  });

  it('CONVNETS_WASM_SIMD picks a build; a wrong value is refused by name', () => {
    process.env.CONVNETS_WASM_SIMD = 'simd128';
    setUpWasmSimd();
    expect(wasmSimdBuild()).toBe('simd128');
    process.env.CONVNETS_WASM_SIMD = 'relaxed-simd';
    setUpWasmSimd();
    expect(wasmSimdBuild()).toBe('relaxed-simd');
    process.env.CONVNETS_WASM_SIMD = 'fma';
    expect(() => setUpWasmSimd()).toThrow(/CONVNETS_WASM_SIMD must be simd128 or relaxed-simd .*got "fma"/);
  });
});
