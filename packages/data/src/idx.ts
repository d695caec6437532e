/**
 * A validating reader for the IDX format (http://yann.lecun.com/exdb/mnist/) on raw bytes:
 * big-endian magic `0x000008nn` (unsigned bytes, nn dimensions), nn big-endian uint32 sizes,
 * then the data. Works on decompressed bytes; see gzip.ts / node/read_idx_file.ts for `.gz`.
 */
import {
  IdxCountMismatchError,
  IdxDimensionError,
  IdxLabelRangeError,
  IdxMagicError,
  IdxTrailingBytesError,
  IdxTruncatedError,
} from './errors.js';

export const IDX_LABELS_MAGIC = 2049; // 0x00000801: ubyte, 1 dimension
export const IDX_IMAGES_MAGIC = 2051; // 0x00000803: ubyte, 3 dimensions

export interface IdxImages {
  count: number;
  height: number;
  width: number;
  /** count*height*width pixels, row-major, 0..255 (a view into the input bytes). */
  pixels: Uint8Array;
}

export interface ParseImagesOptions {
  /** Required image height; default 28. */
  height?: number;
  /** Required image width; default 28. */
  width?: number;
}

function readHeader(bytes: Uint8Array, file: string, magic: number, ndim: number, what: string): number[] {
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < 4) {
    throw new IdxTruncatedError(file, `truncated, ${bytes.length} bytes is too short for an IDX header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) throw new IdxMagicError(file, found, magic);
  if (bytes.length < headerBytes) {
    throw new IdxTruncatedError(file, `truncated, ${bytes.length} bytes is too short for the ${headerBytes}-byte IDX ${what} header`);
  }
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  return dims;
}

function checkBodyLength(bytes: Uint8Array, file: string, headerBytes: number, count: number, itemBytes: number, what: string): void {
  const body = bytes.length - headerBytes;
  const want = count * itemBytes;
  if (body < want) {
    throw new IdxTruncatedError(file, `truncated, header says ${count} ${what}, file holds ${Math.floor(body / itemBytes)}`);
  }
  if (body > want) {
    throw new IdxTrailingBytesError(file, `header says ${count} ${what} (${want} bytes of data) but the file holds ${body - want} bytes more`);
  }
}

/** Parses and validates an IDX image file (magic 2051, dimensions, byte count). */
export function parseIdxImages(bytes: Uint8Array, file: string, options: ParseImagesOptions = {}): IdxImages {
  const wantH = options.height ?? 28;
  const wantW = options.width ?? 28;
  const [count, height, width] = readHeader(bytes, file, IDX_IMAGES_MAGIC, 3, 'image');
  if (height !== wantH || width !== wantW) {
    throw new IdxDimensionError(file, `wrong dimensions, header says ${height}x${width} images, expected ${wantH}x${wantW}`);
  }
  const headerBytes = 16;
  checkBodyLength(bytes, file, headerBytes, count, height * width, 'images');
  return { count, height, width, pixels: bytes.subarray(headerBytes) };
}

/** Parses and validates an IDX label file (magic 2049, byte count, every label in 0..numClasses-1). */
export function parseIdxLabels(bytes: Uint8Array, file: string, numClasses = 10): Uint8Array {
  const [count] = readHeader(bytes, file, IDX_LABELS_MAGIC, 1, 'label');
  const headerBytes = 8;
  checkBodyLength(bytes, file, headerBytes, count, 1, 'labels');
  const labels = bytes.subarray(headerBytes);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= numClasses) throw new IdxLabelRangeError(file, i, labels[i], numClasses);
  }
  return labels;
}

/** Throws unless the image and label files hold the same number of examples. */
export function checkIdxPair(images: IdxImages, imagesFile: string, labels: Uint8Array, labelsFile: string): void {
  if (images.count !== labels.length) {
    throw new IdxCountMismatchError(imagesFile, images.count, labelsFile, labels.length);
  }
}

/** Encodes an IDX file (for fixtures and exports): `dims` and `data` must agree. */
export function encodeIdx(magic: number, dims: readonly number[], data: Uint8Array): Uint8Array {
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, header);
  return out;
}
