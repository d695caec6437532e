import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from './safetensors.js';

/** A minimal writer, independent of ours: JSON header plus little-endian f32, as the spec says. */
function writeMinimal(header: Record<string, unknown>, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function f32le(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

describe('safetensors', () => {
  it('round-trips tensors of several dtypes with metadata', () => {
    const bytes = encodeSafetensors(
      {
        'conv.0.weight': { dtype: 'F32', shape: [2, 1, 2, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) },
        'bn.num_batches_tracked': { dtype: 'I64', shape: [], data: BigInt64Array.from([12n]) },
        labels: { dtype: 'I32', shape: [3], data: Int32Array.from([0, 9, 4]) },
      },
      { format: 'pt' },
    );
    expect((8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))) % 8).toBe(0);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors['conv.0.weight'].shape).toEqual([2, 1, 2, 2]);
    expect(Array.from(tensors['conv.0.weight'].data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(tensors['bn.num_batches_tracked'].data[0]).toBe(12n);
    expect(Array.from(tensors.labels.data as Int32Array)).toEqual([0, 9, 4]);
  });

  it('loads a file written by an independent minimal writer', () => {
    const data = f32le([0.5, -1, 2, 3.25, 9, 10]);
    const file = writeMinimal(
      {
        'fc.weight': { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
        'fc.bias': { dtype: 'F32', shape: [2], data_offsets: [16, 24] },
      },
      data,
    );
    const { tensors } = decodeSafetensors(file, 'minimal.safetensors');
    expect(Array.from(tensors['fc.weight'].data as Float32Array)).toEqual([0.5, -1, 2, 3.25]);
    expect(Array.from(tensors['fc.bias'].data as Float32Array)).toEqual([9, 10]);
  });

  it('names truncated files', () => {
    const good = encodeSafetensors({ w: { dtype: 'F32', shape: [4], data: new Float32Array(4) } });
    expect(() => decodeSafetensors(good.subarray(0, 5), 'a.safetensors')).toThrow(/a\.safetensors: truncated: 5 bytes/);
    expect(() => decodeSafetensors(good.subarray(0, 20), 'b.safetensors')).toThrow(/b\.safetensors: truncated: header says \d+ header bytes/);
    expect(() => decodeSafetensors(good.subarray(0, good.length - 4), 'c.safetensors')).toThrow(/c\.safetensors: truncated: tensor "w" ends at byte 16 of the data, file holds 12/);
  });

  it('reports bad header JSON', () => {
    const bytes = new Uint8Array(8 + 5);
    new DataView(bytes.buffer).setUint32(0, 5, true);
    bytes.set(new TextEncoder().encode('{oops'), 8);
    expect(() => decodeSafetensors(bytes, 'bad.safetensors')).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bytes, 'bad.safetensors')).toThrow(/bad\.safetensors: bad header JSON/);
  });

  it('reports a wrong dtype and a wrong shape', () => {
    const dtype = writeMinimal({ w: { dtype: 'Q7', shape: [1], data_offsets: [0, 4] } }, f32le([1]));
    expect(() => decodeSafetensors(dtype, 'd.safetensors')).toThrow(/tensor "w" has unsupported dtype "Q7"/);
    const shape = writeMinimal({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32le([1, 2]));
    expect(() => decodeSafetensors(shape, 's.safetensors')).toThrow(/tensor "w": shape \[3\] of F32 needs 12 bytes, offsets give 8/);
    expect(() => encodeSafetensors({ w: { dtype: 'F32', shape: [3], data: new Float32Array(2) } })).toThrow(/holds 3 values but data has 2/);
  });

  describe('rejects what the reference implementation rejects, naming the file', () => {
    /** A header written by hand (JSON text, so that repeated keys survive), then the data. */
    function rawFile(json: string, data: Uint8Array): Uint8Array {
      const head = new TextEncoder().encode(json);
      const out = new Uint8Array(8 + head.length + data.length);
      new DataView(out.buffer).setUint32(0, head.length, true);
      out.set(head, 8);
      out.set(data, 8 + head.length);
      return out;
    }
    const two = f32le([1, 2]);
    const cases: [string, Uint8Array, RegExp][] = [
      ['overlapping offsets', writeMinimal({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, two), /x\.safetensors: tensors "a" and "b" overlap/],
      ['a hole', writeMinimal({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, two), /x\.safetensors: bytes 0 to 4 of the data belong to no tensor/],
      ['trailing bytes', writeMinimal({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, two), /x\.safetensors: 4 trailing bytes after the last tensor/],
      ['a duplicate key', rawFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', two), /x\.safetensors: the header names "a" twice/],
      ['invalid UTF-8', (() => { const f = rawFile('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"\u00e9":1}', two); const at = f.indexOf(0xc3); f[at] = 0xff; return f; })(), /x\.safetensors: the header is not valid UTF-8/],
      ['non-string metadata', writeMinimal({ __metadata__: { epoch: 3 }, a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, two), /x\.safetensors: metadata "epoch" is 3, not a string/],
      ['a non-integer shape', writeMinimal({ a: { dtype: 'F32', shape: [1.5], data_offsets: [0, 8] } }, two), /x\.safetensors: tensor "a" has an invalid shape \[1\.5\]/],
      ['a tensor named __proto__', rawFile('{"__proto__":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', two), /x\.safetensors: a tensor is named "__proto__"/],
      ['a header that is not an object', rawFile('[1]     ', new Uint8Array(0)), /x\.safetensors: bad header: it must be a JSON object/],
      ['a dtype named after an Object property', writeMinimal({ a: { dtype: 'constructor', shape: [2], data_offsets: [0, 8] } }, two), /unsupported dtype "constructor"/],
    ];
    for (const [what, file, message] of cases) {
      it(what, () => {
        expect(() => decodeSafetensors(file, 'x.safetensors')).toThrow(SafetensorsError);
        expect(() => decodeSafetensors(file, 'x.safetensors')).toThrow(message);
      });
    }
  });

  it('reads F16 and BF16 tensors as their raw 16-bit patterns', () => {
    const bits = Uint16Array.from([0x3c00, 0xc000]);
    const file = writeMinimal(
      { h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] }, b: { dtype: 'BF16', shape: [1], data_offsets: [4, 6] } },
      new Uint8Array([...new Uint8Array(bits.buffer), 0x80, 0x3f]),
    );
    const { tensors } = decodeSafetensors(file);
    expect(Array.from(tensors.h.data as Uint16Array)).toEqual([0x3c00, 0xc000]);
    expect(tensors.b.dtype).toBe('BF16');
    expect(Array.from(tensors.b.data as Uint16Array)).toEqual([0x3f80]);
  });
});
