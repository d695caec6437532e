// Fetches Node 24 from the npm registry (the node-<platform>-<arch> package that npm's `node`
// package installs) into node_modules/.node24, for the relaxed-SIMD tests on a second runtime
// (src/wasm/node24_test.ts). Not a devDependency: ~190 MB, one per platform, and only those tests use it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const prefix = join(dirname(fileURLToPath(import.meta.url)), '../node_modules/.node24');
const pkg = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
const binary = join(prefix, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
if (!existsSync(binary)) {
  execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `${pkg}@24`], { stdio: 'inherit' });
}
console.log(execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim(), binary);
