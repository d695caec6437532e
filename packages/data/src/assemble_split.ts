/**
 * Turns the decompressed bytes of a split's two IDX files into a FashionMnist: validates the
 * IDX headers and labels, the image/label counts, optionally the SHA-256 of each file, then
 * applies `limit`. Shared by the Node loader and the browser URL loader.
 */
import { FASHION_MNIST_NUM_CLASSES } from './classes.js';
import { FashionMnist, type DataSource, type FileInfo } from './dataset.js';
import { DataError } from './errors.js';
import { FASHION_MNIST_SHA256, type Checksums, type Split } from './files.js';
import { checkIdxPair, parseIdxImages, parseIdxLabels } from './idx.js';
import { checkSha256, sha256Hex } from './sha256.js';

export interface SplitFile {
  /** File stem, e.g. 'train-images-idx3-ubyte'. */
  name: string;
  /** Path or URL, used in error messages (e.g. '/data/train-images-idx3-ubyte.gz'). */
  location: string;
  /** Decompressed content. */
  bytes: Uint8Array;
}

export interface AssembleOptions {
  split: Split;
  images: SplitFile;
  labels: SplitFile;
  source: DataSource;
  /** Check each file's SHA-256 against `checksums` (throws ChecksumMismatchError). */
  verify?: boolean;
  /** Compute the SHA-256 without failing on a mismatch (for stats). */
  hash?: boolean;
  checksums?: Checksums;
  limit?: number;
  /** SHA-256 implementation (default WebCrypto). */
  sha256?: (bytes: Uint8Array) => string | Promise<string>;
}

async function fileInfo(f: SplitFile, o: AssembleOptions): Promise<FileInfo> {
  const checksums = o.checksums ?? FASHION_MNIST_SHA256;
  const expected = checksums[f.name];
  if (!o.verify && !o.hash) return { name: f.name, location: f.location, expected, status: 'unchecked' };
  if (o.verify && !expected) {
    throw new DataError(f.location, `no expected SHA-256 for ${f.name}; pass checksums for it or turn verify off`);
  }
  const sha256 = await (o.sha256 ?? sha256Hex)(f.bytes);
  if (o.verify && expected) checkSha256(f.location, sha256, expected);
  const status = expected === undefined ? 'unchecked' : sha256 === expected.toLowerCase() ? 'ok' : 'mismatch';
  return { name: f.name, location: f.location, sha256, expected, status };
}

export async function assembleSplit(o: AssembleOptions): Promise<FashionMnist> {
  const imagesFile = o.images.location;
  const labelsFile = o.labels.location;
  const images = parseIdxImages(o.images.bytes, imagesFile);
  const labels = parseIdxLabels(o.labels.bytes, labelsFile, FASHION_MNIST_NUM_CLASSES);
  checkIdxPair(images, imagesFile, labels, labelsFile);
  const files = [await fileInfo(o.images, o), await fileInfo(o.labels, o)];
  const ds = new FashionMnist({ split: o.split, images: images.pixels, labels, source: o.source, files });
  return o.limit === undefined ? ds : ds.limit(o.limit);
}
