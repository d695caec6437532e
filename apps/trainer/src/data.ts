/** Loads Fashion-MNIST for the commands and turns data errors into one clear line. */
import { DataError, DataNotFoundError, type DataSource, type FashionMnist, type Split } from '@convnets/data';
import { loadFashionMnist } from '@convnets/data/node';
import { CliError, oneLine } from './errors.js';
import { asInvoked } from './invocation.js';

export interface DataFlags {
  dataDir?: string;
  download?: boolean;
  onProgress?: (bytes: number, total: number | undefined, file: string) => void;
}

export async function loadSplit(split: Split, flags: DataFlags & { limit?: number }): Promise<FashionMnist> {
  try {
    const ds = await loadFashionMnist({ split, dataDir: flags.dataDir, download: flags.download, onProgress: flags.onProgress });
    return flags.limit !== undefined ? ds.limit(flags.limit) : ds;
  } catch (e) {
    throw dataError(e, flags);
  }
}

/** A CliError for a data problem: where we looked, why it failed, what to do. */
export function dataError(e: unknown, flags: DataFlags): CliError {
  if (e instanceof DataNotFoundError) {
    const head = e.message.split('\n')[0].replace(/\. Tried:$/, '').replace(/ Tried:$/, '');
    const tried = e.tried.map((t) => `${t.source}: ${t.reason}`).join('; ');
    const fix = flags.dataDir
      ? 'check --data-dir, or leave it out to use the Debian package or the cache'
      : "install it (sudo apt-get install dataset-fashion-mnist) or pass --download";
    return new CliError(`${head.replace(/\.$/, '')} (${tried}); ${fix}`, { cause: e });
  }
  if (e instanceof DataError) return new CliError(asInvoked(`${oneLine(e.message)}; see 'convnets data' for the checksum status`), { cause: e });
  return new CliError(`cannot load Fashion-MNIST: ${oneLine((e as Error).message)}`, { cause: e });
}

export function describeSource(source: DataSource): string {
  const where = source.dir ?? source.url ?? '';
  const kind = { explicit: '--data-dir', env: '$FASHION_MNIST_DIR', debian: 'Debian package', cache: 'cache', download: 'downloaded into the cache', url: 'url', memory: 'memory' }[source.kind];
  return `${kind}${where ? ` ${where}` : ''}`;
}
