// Bundles tfjs-core's register_all_gradients for plain Node, whose ESM loader cannot
// resolve that file's extensionless imports. Bundlers use the original (see "imports").
// The gradient registry is global, so gradients registered by the bundle serve the real
// tfjs-core, as tfjs-layers' own bundle does.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const coreDir = dirname(require.resolve('@tensorflow/tfjs-core/package.json'));
const outfile = join(here, '..', 'gradients', 'register_gradients.js');
mkdirSync(dirname(outfile), { recursive: true });

await build({
  entryPoints: [join(coreDir, 'dist', 'register_all_gradients.js')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  minify: true,
  legalComments: 'eof',
  outfile,
  logLevel: 'warning',
  // The bundle carries private copies of tfjs-core's modules. Importing the real package
  // first makes it, not a copy, create the global engine, so every tensor is a real Tensor.
  banner: { js: "import '@tensorflow/tfjs-core';" },
});
