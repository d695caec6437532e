/** Finds a split's two files in a directory, gzipped (`.gz`) or raw. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FASHION_MNIST_FILES, type Split } from '../index.js';

export interface SplitPaths {
  images: string;
  labels: string;
}

export type FindResult = { ok: true; paths: SplitPaths } | { ok: false; reason: string; missing: string[] };

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The first of `stem.gz`, `stem` that exists. */
export async function findFile(dir: string, stem: string): Promise<string | null> {
  for (const name of [`${stem}.gz`, stem]) {
    const p = join(dir, name);
    if (await isFile(p)) return p;
  }
  return null;
}

export async function findSplitFiles(dir: string, split: Split): Promise<FindResult> {
  try {
    if (!(await stat(dir)).isDirectory()) return { ok: false, reason: 'not a directory', missing: [] };
  } catch {
    return { ok: false, reason: 'directory does not exist', missing: [] };
  }
  const stems = FASHION_MNIST_FILES[split];
  const images = await findFile(dir, stems.images);
  const labels = await findFile(dir, stems.labels);
  if (images && labels) return { ok: true, paths: { images, labels } };
  const missing = [images ? null : stems.images, labels ? null : stems.labels].filter((s): s is string => s !== null);
  return { ok: false, reason: `missing ${missing.map((s) => `${s}(.gz)`).join(', ')}`, missing };
}
