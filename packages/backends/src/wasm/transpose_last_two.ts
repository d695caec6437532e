import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { swapLastTwoAxes } from '../shared/swap_last_two_axes.js';
import * as TRANSPOSE_2D from './transpose_2d_wasm.js';
import { asWasmBackend, wasmExports } from './instance.js';

type Transpose2d = (input: number, out: number, rows: number, cols: number) => void;

/**
 * Swaps the last two axes of a float32 tensor. On wasm, by the SIMD 4x4-block loop of
 * wasm/transpose_2d.wat: tfjs-wasm's Transpose moves one value at a time (~10 ns each:
 * 270 ms for AlexNet's 6400x4096 weight). Elsewhere, the backend's Transpose.
 */
export function transposeLastTwo(backend: KernelBackend, backendName: string, t: TensorInfo): TensorInfo {
  const wasm = t.dtype === 'float32' && t.shape.length >= 2 ? asWasmBackend(backend) : undefined;
  const transpose2d = wasm && wasmExports<{ transpose2d: Transpose2d }>(wasm, TRANSPOSE_2D)?.transpose2d;
  const [rows, cols] = t.shape.slice(-2) as [number, number];
  if (!wasm || !transpose2d) return swapLastTwoAxes(backend, backendName, t);
  const out = wasm.makeOutput([...t.shape.slice(0, -2), cols, rows], 'float32');
  const matrices = rows * cols === 0 ? 0 : t.shape.reduce((a, b) => a * b, 1) / (rows * cols);
  const from = wasm.getMemoryOffset(t.dataId);
  const to = wasm.getMemoryOffset(out.dataId);
  for (let m = 0; m < matrices; m++) transpose2d(from + m * rows * cols * 4, to + m * rows * cols * 4, rows, cols);
  return out;
}
