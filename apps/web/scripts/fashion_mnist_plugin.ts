/**
 * A Vite plugin that serves the four Fashion-MNIST files at `/data/fashion-mnist/<file>.gz`
 * from the directory `@convnets/data/node` resolves (dataDir, $FASHION_MNIST_DIR, Debian's
 * /usr/share/datasets/fashion-mnist, the user cache), in `vite dev` and `vite preview`.
 * Nothing is copied into `dist/`: the built app is served with its data by `vite preview`.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Connect, Plugin } from 'vite';

export const DATA_ROUTE = '/data/fashion-mnist/';

const STEMS = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const;

export interface FashionMnistPluginOptions {
  /** A directory holding the files; otherwise the usual resolution order applies. */
  dataDir?: string;
}

interface DataNodeModule {
  resolveSplit(split: 'train' | 'test', o?: { dataDir?: string }): Promise<{ source: { kind: string; dir?: string }; paths: { images: string; labels: string } }>;
}

async function importDataNode(): Promise<DataNodeModule> {
  try {
    return (await import('@convnets/data/node')) as DataNodeModule;
  } catch (e) {
    throw new Error(
      `fashion-mnist plugin: cannot load @convnets/data/node (${(e as Error).message}). Build the packages first: pnpm build (from the repository root).`,
    );
  }
}

/** Maps each served file name (`<stem>.gz` or `<stem>`) to a path on disk. */
export async function resolveDataFiles(o: FashionMnistPluginOptions = {}): Promise<{ files: Map<string, string>; describe: string }> {
  const data = await importDataNode();
  const files = new Map<string, string>();
  const dirs = new Set<string>();
  for (const split of ['train', 'test'] as const) {
    const { source, paths } = await data.resolveSplit(split, { dataDir: o.dataDir });
    for (const p of [paths.images, paths.labels]) files.set(basename(p), p);
    dirs.add(`${source.kind} ${source.dir ?? ''}`.trim());
  }
  return { files, describe: [...dirs].join(', ') };
}

function middleware(o: FashionMnistPluginOptions, log: (msg: string) => void): Connect.NextHandleFunction {
  let resolved: Promise<{ files: Map<string, string>; describe: string }> | undefined;
  return (req: IncomingMessage, res: ServerResponse, next: Connect.NextFunction) => {
    const url = (req.url ?? '').split('?')[0] ?? '';
    const at = url.indexOf(DATA_ROUTE);
    if (at < 0) return next();
    const name = decodeURIComponent(url.slice(at + DATA_ROUTE.length));
    const stem = name.replace(/\.gz$/, '');
    if (!(STEMS as readonly string[]).includes(stem)) {
      res.statusCode = 404;
      res.end(`unknown Fashion-MNIST file ${name}; expected one of ${STEMS.join(', ')} (.gz)`);
      return;
    }
    resolved ??= resolveDataFiles(o).then((r) => {
      log(`Fashion-MNIST served from ${r.describe}`);
      return r;
    });
    resolved
      .then(async ({ files }) => {
        // Serve what is on disk: `<stem>.gz` or raw `<stem>`; the page accepts both.
        const path = files.get(`${stem}.gz`) ?? files.get(stem);
        if (!path) throw new Error(`${stem} not found`);
        const { size } = await stat(path);
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', String(size));
        res.setHeader('Cache-Control', 'public, max-age=3600');
        createReadStream(path).pipe(res);
      })
      .catch((e: unknown) => {
        resolved = undefined;
        res.statusCode = 404;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end(e instanceof Error ? e.message : String(e));
      });
  };
}

export function fashionMnistPlugin(o: FashionMnistPluginOptions = {}): Plugin {
  return {
    name: 'convnets:fashion-mnist',
    configureServer(server) {
      server.middlewares.use(middleware(o, (m) => server.config.logger.info(m)));
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware(o, (m) => server.config.logger.info(m)));
    },
  };
}
