import type { FusedAdamStep } from '@convnets/core';
import * as tf from '@tensorflow/tfjs-core';
import * as ADAM_SIMD from './adam_simd_wasm.js';
import { asWasmBackend, wasmExports } from './instance.js';
import { splitWork } from './split_work.js';

type AdamBits = (...args: number[]) => void;

const bits = new Int32Array(1);
const bitsView = new Float32Array(bits.buffer);
/** A float32's bits as an i32: helper threads pass every argument as one. */
const f32Bits = (x: number) => ((bitsView[0] = x), bits[0]!);

/**
 * fusedAdamStep on wasm: SIMD over the backend's memory (adam_simd.wat; AlexNet's 47M
 * parameters, ~550 → ~100 ms a step), large parameters split between this thread and helper
 * workers (Node, threaded tfjs-wasm; VGG-11/8's 4096×4096 layer: 25.6 → 13.9 ms). Null for a
 * wasm build whose memory it cannot reach, or moments whose buffer another tensor shares.
 */
export const fusedAdamStepWasm: FusedAdamStep = (p, g, m, v, s) => {
  const backend = asWasmBackend(tf.backend());
  if (!backend) return null;
  if (backend.refCount(m.dataId) !== 1 || backend.refCount(v.dataId) !== 1) return null;
  const adam = wasmExports<{ adamBits: AdamBits }>(backend, ADAM_SIMD)?.adamBits;
  if (!adam) return null;
  const out = backend.makeOutput(p.shape.slice(), 'float32');
  const at = (t: { dataId: tf.DataId }) => backend.getMemoryOffset(t.dataId);
  const scalars = [s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.stepSize, s.bc2Sqrt, s.eps].map(f32Bits);
  // Ranges of whole 4-float groups (the last takes the rest); ~1.5 ns an element, so a part of 2^19 pays a helper's wake-up.
  const groups = Math.ceil(p.size / 4);
  const split = splitWork(backend, ADAM_SIMD, 'adamBits', groups, 8 * p.size, groups);
  const callArgs = Array.from({ length: split.parts }, (_, t) => {
    const [g0, g1] = split.range(t);
    const [i0, i1] = [4 * g0, Math.min(p.size, 4 * g1)];
    return [at(p) + 4 * i0, at(g) + 4 * i0, at(m) + 4 * i0, at(v) + 4 * i0, at(out) + 4 * i0, i1 - i0, ...scalars];
  });
  split.run(adam, callArgs);
  return tf.engine().makeTensorFromTensorInfo(out);
};
