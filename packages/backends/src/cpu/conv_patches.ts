import type { backend_util } from '@tensorflow/tfjs-core';

/**
 * Convolution patches (im2col) for a block of output pixels, NHWC: row r, at dst[r·stride],
 * is the window of pixel row0 + r (pixels counted by batch, output row, output column) laid
 * out as the filter's [fh, fw, c], zero where the window hangs over the padding. Columns from
 * fh·fw·c to stride are left as they are.
 */
export function packPatches(x: Float32Array, info: backend_util.Conv2DInfo, row0: number, rows: number, dst: Float32Array, stride: number): void {
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const run = fw * c; // one filter row, contiguous in x when undilated and inside
  let ox = row0 % ow;
  let oy = Math.floor(row0 / ow) % oh;
  let b = Math.floor(row0 / (ow * oh));
  for (let r = 0; r < rows; r++) {
    let d = r * stride;
    const ix0 = ox * sw - left;
    const whole = dw === 1 && ix0 >= 0 && ix0 + fw <= w;
    for (let kh = 0; kh < fh; kh++, d += run) {
      const iy = oy * sh - top + kh * dh;
      if (iy < 0 || iy >= h) {
        dst.fill(0, d, d + run);
        continue;
      }
      const rowAt = (b * h + iy) * w;
      if (whole) {
        const s = (rowAt + ix0) * c;
        for (let i = 0; i < run; i++) dst[d + i] = x[s + i]!;
        continue;
      }
      for (let kw = 0; kw < fw; kw++) {
        const ix = ix0 + kw * dw;
        const at = d + kw * c;
        if (ix < 0 || ix >= w) {
          dst.fill(0, at, at + c);
        } else {
          const s = (rowAt + ix) * c;
          for (let ci = 0; ci < c; ci++) dst[at + ci] = x[s + ci]!;
        }
      }
    }
    if (++ox === ow) {
      ox = 0;
      if (++oy === oh) {
        oy = 0;
        b++;
      }
    }
  }
}

/** The reverse of packPatches (col2im): adds each patch row back onto the pixels it was read from. */
export function addPatches(src: Float32Array, stride: number, info: backend_util.Conv2DInfo, row0: number, rows: number, dx: Float32Array): void {
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  let ox = row0 % ow;
  let oy = Math.floor(row0 / ow) % oh;
  let b = Math.floor(row0 / (ow * oh));
  for (let r = 0; r < rows; r++) {
    let s = r * stride;
    for (let kh = 0; kh < fh; kh++) {
      const iy = oy * sh - top + kh * dh;
      for (let kw = 0; kw < fw; kw++, s += c) {
        const ix = ox * sw - left + kw * dw;
        if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
        const d = ((b * h + iy) * w + ix) * c;
        for (let ci = 0; ci < c; ci++) dx[d + ci]! += src[s + ci]!;
      }
    }
    if (++ox === ow) {
      ox = 0;
      if (++oy === oh) {
        oy = 0;
        b++;
      }
    }
  }
}
