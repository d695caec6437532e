/** Where Fashion-MNIST is looked for on disk. */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Debian's `dataset-fashion-mnist` package installs the four gzipped files here. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export type Env = Readonly<Record<string, string | undefined>>;

/** $XDG_CACHE_HOME/convnets/fashion-mnist, or ~/.cache/convnets/fashion-mnist. */
export function defaultCacheDir(env: Env = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), '.cache');
  return join(base, 'convnets', 'fashion-mnist');
}
