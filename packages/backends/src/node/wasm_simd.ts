import { setFlagsFromString } from 'node:v8';
import { forceWasmSimdBuild, relaxedSimdSupported } from '../wasm/simd_build.js';

const nodeMajor = () => Number(process.versions.node.split('.')[0]);

/**
 * Relaxed SIMD in this process, where this Node can have it: on by default from Node 22; Node
 * 20's V8 has it behind --experimental-wasm-relaxed-simd, which this sets (V8 reads its wasm
 * feature flags when it compiles a module, so it holds for every module compiled after).
 */
export function enableRelaxedSimd(): boolean {
  if (!relaxedSimdSupported() && nodeMajor() < 22) setFlagsFromString('--experimental-wasm-relaxed-simd');
  return relaxedSimdSupported();
}

/**
 * Picks the hand-written kernels' build for Node's wasm: relaxed SIMD where enableRelaxedSimd
 * gets it, before any kernel compiles. CONVNETS_WASM_SIMD=simd128 keeps the SIMD128 build (to
 * compare), =relaxed-simd insists on relaxed.
 */
export function setUpWasmSimd(): void {
  const env = process.env.CONVNETS_WASM_SIMD ?? '';
  if (env !== '' && env !== 'simd128' && env !== 'relaxed-simd') {
    throw new Error(`CONVNETS_WASM_SIMD must be simd128 or relaxed-simd (or unset for the best this Node has), got "${env}"`);
  }
  if (env === 'simd128') return forceWasmSimdBuild('simd128');
  const relaxed = enableRelaxedSimd();
  if (env !== 'relaxed-simd') return;
  if (!relaxed) {
    throw new Error(`CONVNETS_WASM_SIMD=relaxed-simd, but Node ${process.versions.node} has no relaxed SIMD: use Node 22 or later, or unset it`);
  }
  forceWasmSimdBuild('relaxed-simd');
}
