/**
 * Finds a split's files: explicit `dataDir` (or $FASHION_MNIST_DIR), then Debian's
 * /usr/share/datasets/fashion-mnist, then the user cache, then — only when allowed — a
 * download into the cache. When nothing works, one DataNotFoundError lists every place tried,
 * why it failed, and the two ways to fix it.
 */
import { join } from 'node:path';
import { DataNotFoundError, FASHION_MNIST_BASE_URL, FASHION_MNIST_FILES, FASHION_MNIST_SHA256, type Checksums, type DataSource, type Split } from '../index.js';
import { DEBIAN_FASHION_MNIST_DIR, defaultCacheDir, type Env } from './cache_dir.js';
import { downloadFile, type ProgressCallback } from './download.js';
import { findFile, findSplitFiles, type SplitPaths } from './find_split_files.js';

export interface SourceOptions {
  /** A directory holding the files (raw or .gz). Overrides $FASHION_MNIST_DIR; used alone when given. */
  dataDir?: string;
  /** Allow downloading into the cache (also allowed by CONVNETS_DOWNLOAD=1). Default false. */
  download?: boolean;
  /** Base URL of the upstream files (ends with '/'). */
  baseUrl?: string;
  /** Expected SHA-256 of the decompressed files, by file stem (default: the canonical ones). */
  checksums?: Checksums;
  /** Defaults to DEBIAN_FASHION_MNIST_DIR. */
  debianDir?: string;
  /** Defaults to defaultCacheDir(env). */
  cacheDir?: string;
  /** Environment to read FASHION_MNIST_DIR, CONVNETS_DOWNLOAD, XDG_CACHE_HOME from. Default process.env. */
  env?: Env;
  /** Idle timeout of the download. */
  timeoutMs?: number;
  onProgress?: ProgressCallback;
}

export interface ResolvedSplit {
  source: DataSource;
  paths: SplitPaths;
}

export const FIX_HINT =
  'Fix it either way:\n' +
  '  - install the Debian package: sudo apt-get install dataset-fashion-mnist\n' +
  '  - or allow the download into the cache: pass --download (or download: true), or set CONVNETS_DOWNLOAD=1';

function notFound(split: Split, tried: { source: string; reason: string }[], extra = ''): DataNotFoundError {
  const lines = tried.map((t) => `  - ${t.source}: ${t.reason}`).join('\n');
  return new DataNotFoundError(`Fashion-MNIST (${split} split) not found. Tried:\n${lines}\n${extra}${FIX_HINT}`, tried);
}

export function downloadAllowed(o: SourceOptions): boolean {
  const env = o.env ?? process.env;
  return o.download ?? (env.CONVNETS_DOWNLOAD === '1' || env.CONVNETS_DOWNLOAD === 'true');
}

export async function resolveSplit(split: Split, o: SourceOptions = {}): Promise<ResolvedSplit> {
  const env = o.env ?? process.env;
  const tried: { source: string; reason: string }[] = [];
  const explicit = o.dataDir ?? env.FASHION_MNIST_DIR;
  if (explicit) {
    const kind = o.dataDir ? 'explicit' : 'env';
    const found = await findSplitFiles(explicit, split);
    if (found.ok) return { source: { kind, dir: explicit }, paths: found.paths };
    tried.push({ source: `${o.dataDir ? 'dataDir' : '$FASHION_MNIST_DIR'} ${explicit}`, reason: found.reason });
    throw notFound(split, tried, `Fix the path, or leave ${o.dataDir ? 'dataDir' : 'FASHION_MNIST_DIR'} unset to use the Debian package, the cache or a download.\n`);
  }
  const debianDir = o.debianDir ?? DEBIAN_FASHION_MNIST_DIR;
  const debian = await findSplitFiles(debianDir, split);
  if (debian.ok) return { source: { kind: 'debian', dir: debianDir }, paths: debian.paths };
  tried.push({ source: `debian ${debianDir}`, reason: debian.reason });

  const cacheDir = o.cacheDir ?? defaultCacheDir(env);
  const cache = await findSplitFiles(cacheDir, split);
  if (cache.ok) return { source: { kind: 'cache', dir: cacheDir }, paths: cache.paths };
  tried.push({ source: `cache ${cacheDir}`, reason: cache.reason });

  const baseUrl = o.baseUrl ?? FASHION_MNIST_BASE_URL;
  if (!downloadAllowed(o)) {
    tried.push({ source: `download from ${baseUrl}`, reason: 'not allowed (no --download, CONVNETS_DOWNLOAD is not 1)' });
    throw notFound(split, tried);
  }
  const checksums = o.checksums ?? FASHION_MNIST_SHA256;
  const stems = FASHION_MNIST_FILES[split];
  for (const stem of [stems.images, stems.labels]) {
    if (await findFile(cacheDir, stem)) continue;
    const sha256 = checksums[stem];
    if (!sha256) throw notFound(split, tried, `No expected SHA-256 for ${stem}: cannot verify a download.\n`);
    await downloadFile(`${baseUrl}${stem}.gz`, join(cacheDir, `${stem}.gz`), { sha256, timeoutMs: o.timeoutMs, onProgress: o.onProgress });
  }
  const done = await findSplitFiles(cacheDir, split);
  if (!done.ok) throw notFound(split, [...tried, { source: `download into ${cacheDir}`, reason: done.reason }]);
  return { source: { kind: 'download', dir: cacheDir, url: baseUrl }, paths: done.paths };
}
