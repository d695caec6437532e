/**
 * Any PNG or JPEG to the 28x28 grayscale uint8 image Fashion-MNIST holds: decode, composite
 * transparency onto the background, luma, optional inversion (photos are dark-on-light, the
 * dataset is light-on-black), pad to a square with the background, then area-average down
 * (or bilinear up) to 28x28.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { jpegSize, MAX_IMAGE_PIXELS, pngSize } from './image_size.js';

export interface Rgba {
  width: number;
  height: number;
  /** width*height*4 bytes, RGBA. */
  data: Uint8Array;
}

export class ImageError extends Error {}

export function decodeImage(bytes: Uint8Array, name: string): Rgba {
  const isPng = bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (isPng || isJpeg) {
    const size = isPng ? pngSize(bytes) : jpegSize(bytes);
    if (!size) throw new ImageError(`${name}: cannot decode ${isPng ? 'PNG' : 'JPEG'} (no image size in its header; the file is damaged)`);
    const pixels = size.width * size.height;
    if (pixels > MAX_IMAGE_PIXELS) {
      throw new ImageError(
        `${name}: the header claims ${size.width}x${size.height} = ${pixels} pixels, more than the ${MAX_IMAGE_PIXELS} allowed (Pillow's limit); ` +
          'shrink the image first (predict works at 28x28 anyway)',
      );
    }
  }
  try {
    if (isPng) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (isJpeg) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch (e) {
    throw new ImageError(`${name}: cannot decode ${isPng ? 'PNG' : 'JPEG'} (${(e as Error).message})`);
  }
  throw new ImageError(`${name}: not a PNG or JPEG image`);
}

/** Grayscale 0..255 of the image, transparency composited so that it ends up as background (black). */
export function toGray(img: Rgba, invert: boolean): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const bg = invert ? 255 : 0;
  for (let i = 0; i < n; i++) {
    const r = img.data[4 * i];
    const g = img.data[4 * i + 1];
    const b = img.data[4 * i + 2];
    const a = img.data[4 * i + 3] / 255;
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    const v = a * luma + (1 - a) * bg;
    out[i] = invert ? 255 - v : v;
  }
  return out;
}

/** Pads to a square with 0 (the background after toGray), centring the image. */
export function padSquare(gray: Float32Array, width: number, height: number): { data: Float32Array; size: number } {
  if (width === height) return { data: gray, size: width };
  const size = Math.max(width, height);
  const data = new Float32Array(size * size);
  const ox = Math.floor((size - width) / 2);
  const oy = Math.floor((size - height) / 2);
  for (let y = 0; y < height; y++) data.set(gray.subarray(y * width, (y + 1) * width), (y + oy) * size + ox);
  return { data, size };
}

/** Area-average resampling when shrinking, bilinear (half-pixel centres) when enlarging. */
export function resizeSquare(src: Float32Array, size: number, target: number): Float32Array {
  if (size === target) return src;
  const out = new Float32Array(target * target);
  const scale = size / target;
  if (scale > 1) {
    for (let oy = 0; oy < target; oy++) {
      const y0 = oy * scale;
      const y1 = y0 + scale;
      for (let ox = 0; ox < target; ox++) {
        const x0 = ox * scale;
        const x1 = x0 + scale;
        let sum = 0;
        for (let y = Math.floor(y0); y < Math.min(size, Math.ceil(y1)); y++) {
          const wy = Math.min(y + 1, y1) - Math.max(y, y0);
          for (let x = Math.floor(x0); x < Math.min(size, Math.ceil(x1)); x++) {
            const wx = Math.min(x + 1, x1) - Math.max(x, x0);
            sum += src[y * size + x] * wx * wy;
          }
        }
        out[oy * target + ox] = sum / (scale * scale);
      }
    }
    return out;
  }
  for (let oy = 0; oy < target; oy++) {
    const sy = Math.min(size - 1, Math.max(0, (oy + 0.5) * scale - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(size - 1, y0 + 1);
    const fy = sy - y0;
    for (let ox = 0; ox < target; ox++) {
      const sx = Math.min(size - 1, Math.max(0, (ox + 0.5) * scale - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(size - 1, x0 + 1);
      const fx = sx - x0;
      const top = src[y0 * size + x0] * (1 - fx) + src[y0 * size + x1] * fx;
      const bottom = src[y1 * size + x0] * (1 - fx) + src[y1 * size + x1] * fx;
      out[oy * target + ox] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** The whole pipeline: bytes of a PNG/JPEG to 28x28 uint8 pixels like Fashion-MNIST's. */
export function toFashionMnistPixels(bytes: Uint8Array, name: string, o: { invert?: boolean; size?: number } = {}): Uint8Array {
  const img = decodeImage(bytes, name);
  const { data, size } = padSquare(toGray(img, o.invert ?? false), img.width, img.height);
  const small = resizeSquare(data, size, o.size ?? 28);
  return Uint8Array.from(small, (v) => Math.max(0, Math.min(255, Math.round(v))));
}
