import * as tf from '@tensorflow/tfjs-core';
import type { Module } from './module.js';
import { fromTorchPerm, type ParamLayout, permuteValues, toTorchPerm, torchShape } from './parameter.js';
import { NonFiniteWeightsError, nonFiniteEntries } from './finite.js';
import { halfToFloat32 } from './half_float.js';
import type { TensorEntry } from './safetensors.js';

/** A state_dict entry point: a parameter or buffer with how PyTorch lays it out. */
interface Slot {
  variable: tf.Variable;
  layout: ParamLayout;
  torchDtype: 'F32' | 'I64';
}

function slots(module: Module): Map<string, Slot> {
  const out = new Map<string, Slot>();
  for (const [name, p] of module.namedParameters()) out.set(name, { variable: p.variable, layout: p.layout, torchDtype: 'F32' });
  for (const [name, b] of module.namedBuffers()) out.set(name, { variable: b.variable, layout: 'plain', torchDtype: b.torchDtype });
  return out;
}

/**
 * The network's state_dict: PyTorch's names, shapes and layouts, as plain typed arrays. Reads
 * every tensor asynchronously (all at once), so it works on GPU backends, which cannot read
 * back synchronously. Change no weight until it resolves (the trainer waits for it).
 */
export async function stateDict(module: Module): Promise<Record<string, TensorEntry>> {
  const entries = [...slots(module)];
  const raws = await Promise.all(entries.map(([, slot]) => slot.variable.data() as Promise<Float32Array | Int32Array>));
  const out: Record<string, TensorEntry> = {};
  entries.forEach(([name, slot], i) => {
    const raw = raws[i];
    const perm = toTorchPerm(slot.layout);
    const values = perm ? permuteValues(raw, slot.variable.shape, perm) : raw;
    out[name] =
      slot.torchDtype === 'I64'
        ? { dtype: 'I64', shape: [...torchShapeOf(slot)], data: BigInt64Array.from(values, (v) => BigInt(Math.round(v))) }
        : { dtype: 'F32', shape: [...torchShapeOf(slot)], data: Float32Array.from(values) };
  });
  return out;
}

function torchShapeOf(slot: Slot): number[] {
  return torchShape(slot.layout, slot.variable.shape);
}

export class StateDictError extends Error {
  readonly missing: string[];
  readonly unexpected: string[];
  readonly mismatched: string[];

  constructor(source: string, missing: string[], unexpected: string[], mismatched: string[]) {
    const parts: string[] = [];
    if (missing.length) parts.push(`missing tensors: ${missing.join(', ')}`);
    if (unexpected.length) parts.push(`unexpected tensors: ${unexpected.join(', ')}`);
    if (mismatched.length) parts.push(`mis-shaped or mis-typed tensors: ${mismatched.join('; ')}`);
    super(`${source} does not fit this network (${parts.join('; ')}). Was it saved from the same model with the same options (input size, width ratio)?`);
    this.name = 'StateDictError';
    this.missing = missing;
    this.unexpected = unexpected;
    this.mismatched = mismatched;
  }
}

const FLOAT_DTYPES = new Set(['F32', 'F64', 'F16', 'BF16']);
const INT_DTYPES = new Set(['I64', 'I32']);

export interface LoadStateDictOptions {
  /** Called with a one-line note when F16/BF16 tensors are cast to f32 (as PyTorch's load_state_dict does). */
  onNote?: (note: string) => void;
}

/**
 * Loads a PyTorch-layout state_dict into the network. Like load_state_dict(strict=True),
 * every missing, unexpected or mis-shaped tensor is reported in one error, and nothing is
 * assigned unless everything fits. NaN or infinite values are refused (NonFiniteWeightsError,
 * naming the tensors); F16 and BF16 tensors are cast to f32, with a note.
 */
export function loadStateDict(module: Module, tensors: Record<string, TensorEntry>, source = 'state_dict', options: LoadStateDictOptions = {}): void {
  const want = slots(module);
  const missing = [...want.keys()].filter((k) => !(k in tensors));
  const unexpected = Object.keys(tensors).filter((k) => !want.has(k));
  const mismatched: string[] = [];
  for (const [name, slot] of want) {
    const t = tensors[name];
    if (!t) continue;
    const expect = torchShapeOf(slot);
    const okDtype = slot.torchDtype === 'I64' ? INT_DTYPES.has(t.dtype) : FLOAT_DTYPES.has(t.dtype);
    if (!okDtype) mismatched.push(`${name} has dtype ${t.dtype}, expected ${slot.torchDtype === 'I64' ? 'I64' : 'F32'}`);
    else if (expect.length !== t.shape.length || expect.some((d, i) => d !== t.shape[i])) {
      mismatched.push(`${name} has shape [${t.shape.join(', ')}], expected [${expect.join(', ')}]`);
    }
  }
  if (missing.length || unexpected.length || mismatched.length) throw new StateDictError(source, missing, unexpected, mismatched);
  const half = [...want.keys()].filter((k) => tensors[k].dtype === 'F16' || tensors[k].dtype === 'BF16');
  const f32: Record<string, TensorEntry> = { ...tensors };
  for (const k of half) f32[k] = { ...tensors[k], dtype: 'F32', data: halfToFloat32(tensors[k].data as Uint16Array, tensors[k].dtype as 'F16' | 'BF16') };
  const bad = nonFiniteEntries(f32);
  if (bad.length) throw new NonFiniteWeightsError(source, bad, '; it was saved from a diverged run or is damaged, so it cannot be used');
  if (half.length) {
    const kinds = [...new Set(half.map((k) => tensors[k].dtype))].join('/');
    options.onNote?.(`${source}: ${half.length} ${kinds} tensor${half.length > 1 ? 's' : ''} cast to F32 on load (as PyTorch's load_state_dict does)`);
  }
  for (const [name, slot] of want) {
    const entry = f32[name];
    const values = entry.data instanceof BigInt64Array ? Float32Array.from(entry.data, Number) : Float32Array.from(entry.data as ArrayLike<number>);
    const perm = fromTorchPerm(slot.layout);
    const tfValues = perm ? permuteValues(values, entry.shape, perm) : values;
    const value = tf.tensor(tfValues, slot.variable.shape, slot.variable.dtype === 'int32' ? 'int32' : 'float32');
    slot.variable.assign(value);
    value.dispose();
  }
}
