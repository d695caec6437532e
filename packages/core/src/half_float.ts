/** IEEE half (F16) and bfloat16 (BF16) bit patterns to float32, for loading such weights as f32. */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** One IEEE 754 binary16 value (as its 16 bits) to a number. */
export function f16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** One bfloat16 value (the upper 16 bits of a float32) to a number. */
export function bf16ToNumber(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0];
}

/** A whole F16 or BF16 array as float32 (exact: every such value is a float32). */
export function halfToFloat32(bits: Uint16Array, dtype: 'F16' | 'BF16'): Float32Array {
  const convert = dtype === 'F16' ? f16ToNumber : bf16ToNumber;
  return Float32Array.from(bits, convert);
}
