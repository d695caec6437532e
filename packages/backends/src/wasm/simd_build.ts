/**
 * Which build of the hand-written kernels runs: `relaxed-simd` (their multiply-adds fused by
 * `f32x4.relaxed_madd`, FMA on x86 and ARM) where the runtime has relaxed SIMD (Node 22+,
 * Chrome 114+, Firefox 146+, Node 20 with --experimental-wasm-relaxed-simd), else `simd128`.
 */
export type WasmSimdBuild = 'relaxed-simd' | 'simd128';

export const WASM_SIMD_BUILDS: readonly WasmSimdBuild[] = ['simd128', 'relaxed-simd'];

/** (module (func (param v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 0) (local.get 0)))) */
export const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7b, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00,
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x00, 0x20, 0x00, 0xfd, 0x85, 0x02, 0x0b,
]);

let supported = false;

/**
 * Whether this runtime compiles relaxed SIMD: remembered once true, asked again while false
 * (Node 20 can turn it on later, see node/wasm_simd.ts). Every kernel call goes through here.
 */
export function relaxedSimdSupported(): boolean {
  return (supported ||= WebAssembly.validate(RELAXED_SIMD_PROBE));
}

let forced: WasmSimdBuild | undefined;

/** The build the kernels instantiate from now on: the forced one, else relaxed where supported. */
export function wasmSimdBuild(): WasmSimdBuild {
  return forced ?? (relaxedSimdSupported() ? 'relaxed-simd' : 'simd128');
}

/**
 * Makes the kernels use `build` from their next call (undefined: back to the automatic pick),
 * to compare the two builds in one process. Throws for relaxed-simd where the runtime lacks it.
 */
export function forceWasmSimdBuild(build: WasmSimdBuild | undefined): void {
  if (build !== undefined && !WASM_SIMD_BUILDS.includes(build)) {
    throw new Error(`the wasm SIMD build must be one of ${WASM_SIMD_BUILDS.join(', ')}, got "${String(build)}"`);
  }
  if (build === 'relaxed-simd' && !relaxedSimdSupported()) {
    throw new Error('this runtime has no relaxed SIMD (Node 22+, Chrome 114+, Firefox 146+; Node 20 with --experimental-wasm-relaxed-simd)');
  }
  forced = build;
}
