/**
 * The .safetensors format, readable in Node and browsers: an 8-byte little-endian header
 * length, a JSON header {name: {dtype, shape, data_offsets}}, then raw little-endian data.
 */
export type SafetensorsDtype = 'F32' | 'F64' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

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

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F64: 8, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

const ARRAYS: Record<SafetensorsDtype, new (buf: ArrayBuffer, offset: number, length: number) => TensorData> = {
  F32: Float32Array,
  F64: Float64Array,
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

/** Parses a .safetensors file; every problem names the source and what is wrong. */
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
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    throw new SafetensorsError(source, `bad header JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError(source, 'bad header JSON: expected an object of tensors');
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.byteLength - dataStart;
  const tensors: Record<string, TensorEntry> = {};
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (raw ?? {}) as Record<string, string>;
      continue;
    }
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = info?.dtype as SafetensorsDtype;
    if (!(typeof dtype === 'string' && dtype in BYTES)) {
      throw new SafetensorsError(source, `tensor "${name}" has unsupported dtype ${JSON.stringify(info?.dtype)} (supported: ${Object.keys(BYTES).join(', ')})`);
    }
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new SafetensorsError(source, `tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    }
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isInteger(o) || o < 0) || offsets[1] < offsets[0]) {
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
    // Copy so that the result is aligned and independent of the file buffer
    // (Uint8Array.prototype.slice: a Node Buffer's own slice() would not copy).
    const copy = Uint8Array.prototype.slice.call(bytes, dataStart + begin, dataStart + end);
    tensors[name] = { dtype, shape: shape as number[], data: new ARRAYS[dtype](copy.buffer, 0, count) };
  }
  return { tensors, metadata };
}
