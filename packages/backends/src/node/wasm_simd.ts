import { setFlagsFromString } from 'node:v8';
import { forceWasmSimdBuild, relaxedSimdSupported } from '../wasm/simd_build.js';

const nodeMajor = () => Number(process.versions.node.split('.')[0]);

/**
 * Picks the hand-written kernels' build for Node's wasm. Relaxed SIMD is on by default from
 * Node 22; Node 20's V8 has it behind --experimental-wasm-relaxed-simd, which this sets in the
 * process (V8 reads its wasm feature flags when it compiles, and no kernel has compiled yet).
 * CONVNETS_WASM_SIMD=simd128 keeps the SIMD128 build (to compare), =relaxed-simd insists on relaxed.
 */
export function setUpWasmSimd(): void {
  const env = process.env.CONVNETS_WASM_SIMD ?? '';
  if (env !== '' && env !== 'simd128' && env !== 'relaxed-simd') {
    throw new Error(`CONVNETS_WASM_SIMD must be simd128 or relaxed-simd (or unset for the best this Node has), got "${env}"`);
  }
  if (env === 'simd128') return forceWasmSimdBuild('simd128');
  if (!relaxedSimdSupported() && nodeMajor() < 22) setFlagsFromString('--experimental-wasm-relaxed-simd');
  if (env !== 'relaxed-simd') return;
  if (!relaxedSimdSupported()) {
    throw new Error(`CONVNETS_WASM_SIMD=relaxed-simd, but Node ${process.versions.node} has no relaxed SIMD: use Node 22 or later, or unset it`);
  }
  forceWasmSimdBuild('relaxed-simd');
}
