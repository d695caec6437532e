/** `convnets data`: where Fashion-MNIST comes from, counts per split and class, checksum status. */
import { datasetStats, formatDatasetStats } from '@convnets/data/node';
import { dataError } from '../data.js';
import { COMMON_OPTIONS, DATA_OPTIONS, parse } from '../options.js';
import { printHelp } from '../help.js';

export const help = `Usage: convnets data [options]

Finds Fashion-MNIST (--data-dir, $FASHION_MNIST_DIR, the Debian package
/usr/share/datasets/fashion-mnist, the cache, or a download with --download), and prints the
source, the number of examples per split and per class, and the SHA-256 status of each file.
Exits with 1 when the data is missing or a checksum does not match.

Options:
      --data-dir <dir>     look only in dir
      --download           allow downloading the missing files into the cache
      --json               print the stats as JSON
  -v, --verbose            stack traces on errors
  -h, --help               this help

Examples:
  convnets data
  convnets data --data-dir ~/datasets/fashion-mnist --json
`;

const DATA_COMMAND_OPTIONS = { ...COMMON_OPTIONS, ...DATA_OPTIONS, json: { type: 'boolean' } } as const;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse('data', argv, DATA_COMMAND_OPTIONS);
  if (values.help) {
    printHelp(help);
    return 0;
  }
  const flags = { dataDir: values['data-dir'], download: values.download };
  let stats;
  try {
    stats = await datasetStats(flags);
  } catch (e) {
    throw dataError(e, flags);
  }
  process.stdout.write(values.json ? `${JSON.stringify(stats, null, 2)}\n` : `${formatDatasetStats(stats)}\n`);
  if (!stats.checksumsOk) {
    const bad = stats.splits.flatMap((s) => s.files.filter((f) => f.status === 'mismatch').map((f) => f.location));
    process.stderr.write(`convnets data: checksum mismatch in ${bad.join(', ')}; delete the file(s) and fetch them again (--download)\n`);
    return 1;
  }
  return 0;
}
