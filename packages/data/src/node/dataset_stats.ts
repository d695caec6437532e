/** What `convnets data` prints: the source, examples per class, and each file's checksum status. */
import { FASHION_MNIST_CLASSES, SPLITS, type DataSource, type FileInfo, type Split } from '../index.js';
import { loadFashionMnist } from './load_fashion_mnist.js';
import type { SourceOptions } from './resolve_source.js';

export interface SplitStats {
  split: Split;
  source: DataSource;
  count: number;
  /** Examples per class, indexed by label. */
  classCounts: number[];
  files: readonly FileInfo[];
}

export interface DatasetStats {
  classes: readonly string[];
  splits: SplitStats[];
  /** True when every file's decompressed SHA-256 matches the expected one. */
  checksumsOk: boolean;
}

export async function datasetStats(o: SourceOptions & { splits?: readonly Split[] } = {}): Promise<DatasetStats> {
  const splits: SplitStats[] = [];
  for (const split of o.splits ?? SPLITS) {
    const ds = await loadFashionMnist({ ...o, split, verify: false, hash: true });
    splits.push({ split, source: ds.source, count: ds.length, classCounts: ds.classCounts(), files: ds.files });
  }
  const checksumsOk = splits.every((s) => s.files.every((f) => f.status === 'ok'));
  return { classes: FASHION_MNIST_CLASSES, splits, checksumsOk };
}

/** A plain-text rendering of the stats. */
export function formatDatasetStats(stats: DatasetStats): string {
  const lines: string[] = [];
  for (const s of stats.splits) {
    const where = s.source.dir ?? s.source.url ?? '';
    lines.push(`${s.split}: ${s.count} examples from ${s.source.kind} ${where}`.trimEnd());
    s.classCounts.forEach((n, c) => lines.push(`  ${String(c).padStart(2)} ${stats.classes[c].padEnd(12)} ${n}`));
    for (const f of s.files) lines.push(`  ${f.name}: sha256 ${f.status}${f.status === 'mismatch' ? ` (got ${f.sha256}, expected ${f.expected})` : ''}`);
  }
  lines.push(stats.checksumsOk ? 'checksums: all ok' : 'checksums: MISMATCH (see above)');
  return lines.join('\n');
}
