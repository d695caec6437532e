/** @convnets/data/node — Fashion-MNIST from disk (explicit dir, Debian, cache) or a verified download. */
export { DEBIAN_FASHION_MNIST_DIR, defaultCacheDir, type Env } from './cache_dir.js';
export { maybeGunzipNode, readDecompressed, sha256Node } from './read_idx_file.js';
export { findSplitFiles, type SplitPaths, type FindResult } from './find_split_files.js';
export { downloadFile, type DownloadOptions, type ProgressCallback } from './download.js';
export { resolveSplit, downloadAllowed, FIX_HINT, type SourceOptions, type ResolvedSplit } from './resolve_source.js';
export { loadFashionMnist, loadFashionMnistSplits, type LoadOptions } from './load_fashion_mnist.js';
export { datasetStats, formatDatasetStats, type DatasetStats, type SplitStats } from './dataset_stats.js';
