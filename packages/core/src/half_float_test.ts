import { describe, expect, it } from 'vitest';
import { bf16ToNumber, f16ToNumber, halfToFloat32 } from './half_float.js';

describe('half floats', () => {
  it('decodes F16 normals, subnormals, zeros, infinities and NaN', () => {
    expect(f16ToNumber(0x3c00)).toBe(1);
    expect(f16ToNumber(0xc000)).toBe(-2);
    expect(f16ToNumber(0x3555)).toBeCloseTo(0.33325, 5);
    expect(f16ToNumber(0x7bff)).toBe(65504);
    expect(f16ToNumber(0x0001)).toBe(2 ** -24);
    expect(Object.is(f16ToNumber(0x8000), -0)).toBe(true);
    expect(f16ToNumber(0x7c00)).toBe(Infinity);
    expect(f16ToNumber(0xfc00)).toBe(-Infinity);
    expect(f16ToNumber(0x7e00)).toBeNaN();
  });

  it('decodes BF16 as the upper half of a float32', () => {
    expect(bf16ToNumber(0x3f80)).toBe(1);
    expect(bf16ToNumber(0xc040)).toBe(-3);
    expect(bf16ToNumber(0x7f80)).toBe(Infinity);
    expect(Array.from(halfToFloat32(Uint16Array.from([0x3f80, 0x4000]), 'BF16'))).toEqual([1, 2]);
    expect(Array.from(halfToFloat32(Uint16Array.from([0x3c00, 0x4000]), 'F16'))).toEqual([1, 2]);
  });
});
