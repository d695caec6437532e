/**
 * The .safetensors format, readable in Node and browsers: an 8-byte little-endian header
 * length, a JSON header {name: {dtype, shape, data_offsets}}, then raw little-endian data.
 */
import { firstDuplicateKey } from './json_duplicate_keys.js';

export type SafetensorsDtype = 'F32' | 'F64' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** F16 and BF16 data are the raw 16-bit patterns (see half_float.ts). */
export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array;

export interface TensorEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  data: TensorData;
}

export class SafetensorsError extends Error {
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'SafetensorsError';
  }
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F64: 8, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

const ARRAYS: Record<SafetensorsDtype, new (buf: ArrayBuffer, offset: number, length: number) => TensorData> = {
  F32: Float32Array,
  F64: Float64Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  I64: BigInt64Array,
  I32: Int32Array,
  I16: Int16Array,
  I8: Int8Array,
  U8: Uint8Array,
  BOOL: Uint8Array,
};

const MAX_HEADER = 100_000_000;

/** Serialises tensors, sorted by name, with offsets laid end to end. */
export function encodeSafetensors(tensors: Record<string, TensorEntry>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      throw new Error(`Tensor "${name}": shape [${t.shape.join(', ')}] holds ${count} values but data has ${t.data.length}`);
    }
    const bytes = count * BYTES[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data starts 8-byte aligned, as the reference implementation does.
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const d = tensors[name].data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), pos);
    pos += d.byteLength;
  }
  return out;
}

/**
 * Parses a .safetensors file, as strictly as the format's reference implementation: the header
 * is UTF-8 JSON starting with '{' and no repeated key, metadata maps strings to strings, and the
 * tensors' byte ranges tile the data section exactly (no overlap, no hole, no trailing bytes).
 * Every problem names the source and what is wrong. F16/BF16 tensors keep their 16-bit data
 * (loadStateDict casts them to f32).
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  source = 'safetensors data',
): { tensors: Record<string, TensorEntry>; metadata: Record<string, string> } {
  if (bytes.byteLength < 8) {
    throw new SafetensorsError(source, `truncated: ${bytes.byteLength} bytes, too short for the 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > MAX_HEADER) throw new SafetensorsError(source, `header length ${headerLen} is implausible; not a safetensors file?`);
  if (8 + headerLen > bytes.byteLength) {
    throw new SafetensorsError(source, `truncated: header says ${headerLen} header bytes, file holds ${bytes.byteLength - 8}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
  } catch {
    throw new SafetensorsError(source, 'the header is not valid UTF-8; the file is damaged or not a safetensors file');
  }
  if (!text.startsWith('{')) throw new SafetensorsError(source, 'bad header: it must be a JSON object starting with "{"; not a safetensors file?');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new SafetensorsError(source, `bad header JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError(source, 'bad header JSON: expected an object of tensors');
  }
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== undefined) throw new SafetensorsError(source, `the header names "${duplicate}" twice; the file is damaged`);
  const dataStart = 8 + headerLen;
  const dataLen = bytes.byteLength - dataStart;
  const tensors: Record<string, TensorEntry> = {};
  const spans: { name: string; begin: number; end: number }[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = checkMetadata(raw, source);
      continue;
    }
    if (name === '__proto__') throw new SafetensorsError(source, 'a tensor is named "__proto__", which is not a parameter name; the file is damaged or hostile');
    const info = (raw ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = info.dtype as SafetensorsDtype;
    if (!(typeof dtype === 'string' && Object.hasOwn(BYTES, dtype))) {
      throw new SafetensorsError(source, `tensor "${name}" has unsupported dtype ${JSON.stringify(info.dtype)} (supported: ${Object.keys(BYTES).join(', ')})`);
    }
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)) {
      throw new SafetensorsError(source, `tensor "${name}" has an invalid shape ${JSON.stringify(shape)} (dimensions must be whole numbers >= 0)`);
    }
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || (o as number) < 0) || offsets[1] < offsets[0]) {
      throw new SafetensorsError(source, `tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * BYTES[dtype]) {
      throw new SafetensorsError(source, `tensor "${name}": shape [${shape.join(', ')}] of ${dtype} needs ${count * BYTES[dtype]} bytes, offsets give ${end - begin}`);
    }
    if (end > dataLen) {
      throw new SafetensorsError(source, `truncated: tensor "${name}" ends at byte ${end} of the data, file holds ${dataLen}`);
    }
    spans.push({ name, begin, end });
    // Copy so that the result is aligned and independent of the file buffer
    // (Uint8Array.prototype.slice: a Node Buffer's own slice() would not copy).
    const copy = Uint8Array.prototype.slice.call(bytes, dataStart + begin, dataStart + end);
    tensors[name] = { dtype, shape: shape as number[], data: new ARRAYS[dtype](copy.buffer, 0, count) };
  }
  checkTiling(spans, dataLen, source);
  return { tensors, metadata };
}

function checkMetadata(raw: unknown, source: string): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SafetensorsError(source, '"__metadata__" must be an object of strings');
  }
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') throw new SafetensorsError(source, `metadata "${k}" is ${JSON.stringify(v)}, not a string (safetensors metadata maps strings to strings)`);
  }
  return { ...(raw as Record<string, string>) };
}

/** The tensors' byte ranges must cover the data section end to end, each byte once. */
function checkTiling(spans: { name: string; begin: number; end: number }[], dataLen: number, source: string): void {
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let prev: string | undefined;
  for (const s of spans) {
    if (s.begin < at) throw new SafetensorsError(source, `tensors "${prev}" and "${s.name}" overlap (bytes ${s.begin} to ${at}); the file is damaged`);
    if (s.begin > at) throw new SafetensorsError(source, `bytes ${at} to ${s.begin} of the data belong to no tensor (a hole before "${s.name}"); the file is damaged`);
    at = s.end;
    prev = s.name;
  }
  if (at !== dataLen) throw new SafetensorsError(source, `${dataLen - at} trailing bytes after the last tensor; the file is damaged or was appended to`);
}
