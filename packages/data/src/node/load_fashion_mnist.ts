/** Node loader: resolves a source, reads raw or gzipped IDX files, validates, verifies, limits. */
import { assembleSplit, FASHION_MNIST_FILES, type FashionMnist, type Split } from '../index.js';
import { readDecompressed, sha256Node } from './read_idx_file.js';
import { resolveSplit, type SourceOptions } from './resolve_source.js';

export interface LoadOptions extends SourceOptions {
  split: Split;
  /** A deterministic class-stratified subset (limit 1000 → the first 100 of each class). */
  limit?: number;
  /** Check the SHA-256 of the decompressed files (default true; a mismatch throws). */
  verify?: boolean;
  /** Compute the SHA-256 and report it in `dataset.files` without throwing on a mismatch. */
  hash?: boolean;
}

export async function loadFashionMnist(o: LoadOptions): Promise<FashionMnist> {
  const { source, paths } = await resolveSplit(o.split, o);
  const stems = FASHION_MNIST_FILES[o.split];
  const [images, labels] = await Promise.all([readDecompressed(paths.images), readDecompressed(paths.labels)]);
  return assembleSplit({
    split: o.split,
    images: { name: stems.images, location: paths.images, bytes: images },
    labels: { name: stems.labels, location: paths.labels, bytes: labels },
    source,
    verify: o.verify ?? true,
    hash: o.hash,
    checksums: o.checksums,
    limit: o.limit,
    sha256: sha256Node,
  });
}

/** Both splits, with the same options. */
export async function loadFashionMnistSplits(o: Omit<LoadOptions, 'split'> = {}): Promise<{ train: FashionMnist; test: FashionMnist }> {
  const train = await loadFashionMnist({ ...o, split: 'train' });
  const test = await loadFashionMnist({ ...o, split: 'test' });
  return { train, test };
}
