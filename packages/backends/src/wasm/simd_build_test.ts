import wabtInit from 'wabt';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../index.js';
import * as CONV_GEMM from './conv_gemm_wasm.js';
import * as FILTER_GRAD_GEMM from './filter_grad_gemm_wasm.js';
import * as CONV_NARROW from './conv_narrow_wasm.js';
import * as FILTER_GRAD_SINGLE_CHANNEL from './filter_grad_single_channel_wasm.js';
import { wasmModule, type WasmBuilds } from './instance.js';
import { forceWasmSimdBuild, RELAXED_SIMD_PROBE, relaxedSimdSupported, wasmSimdBuild, type WasmSimdBuild } from './simd_build.js';

afterAll(async () => {
  forceWasmSimdBuild(undefined);
  await useBackend('cpu');
});

const bytes = (base64: string) => Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
/** f32x4.relaxed_madd's opcode, 0xfd 0x105 (LEB128). */
const hasRelaxedMadd = (b: Uint8Array) => b.some((v, i) => v === 0xfd && b[i + 1] === 0x85 && b[i + 2] === 0x02);

describe('the relaxed-SIMD builds', () => {
  it('the probe is the relaxed module its comment spells', async () => {
    const wabt = await wabtInit();
    const text = '(module (func (param v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 0) (local.get 0))))';
    const mod = wabt.parseWat('probe.wat', text, { simd: true, relaxed_simd: true });
    expect(Array.from(RELAXED_SIMD_PROBE)).toEqual(Array.from(mod.toBinary({}).buffer));
    mod.destroy();
  });

  it.each([
    ['conv_gemm', CONV_GEMM],
    ['filter_grad_gemm', FILTER_GRAD_GEMM],
    ['filter_grad_single_channel', FILTER_GRAD_SINGLE_CHANNEL],
    ['conv_narrow', CONV_NARROW],
  ] as [string, WasmBuilds][])('%s: fused multiply-adds only in its relaxed builds, which wasmModule picks when asked', async (_, builds) => {
    for (const shared of [true, false]) {
      const plain = shared ? builds.SHARED_MEMORY : builds.OWN_MEMORY;
      const relaxed = (shared ? builds.RELAXED_SHARED_MEMORY : builds.RELAXED_OWN_MEMORY)!;
      expect(hasRelaxedMadd(bytes(plain))).toBe(false);
      expect(hasRelaxedMadd(bytes(relaxed))).toBe(true);
    }
    await useBackend('wasm'); // in Node 20, turns relaxed SIMD on
    const picks = (build: WasmSimdBuild) => {
      forceWasmSimdBuild(build);
      return wasmModule(builds, true);
    };
    expect(picks('relaxed-simd')).not.toBe(picks('simd128'));
    expect(picks('simd128')).toBe(picks('simd128'));
  });

  it("useBackend('wasm') in Node (20 with its flag turned on, 22+ by default) picks relaxed SIMD and says so", async () => {
    forceWasmSimdBuild(undefined);
    const info = await useBackend('wasm');
    expect(relaxedSimdSupported()).toBe(true);
    expect(wasmSimdBuild()).toBe('relaxed-simd');
    expect(info.details?.simd).toBe('relaxed-simd');
  });

  it('refuses a build that is not one', () => {
    expect(() => forceWasmSimdBuild('avx' as WasmSimdBuild)).toThrow(/simd128, relaxed-simd, got "avx"/);
  });
});
