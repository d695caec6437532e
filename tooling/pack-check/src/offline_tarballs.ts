import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { runAsync } from './run_async.js';

const PACK_TIMEOUT_MS = 300_000;

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** `name`'s directory as Node resolves it from `fromDir` (pnpm: a sibling in the store's node_modules). */
function packageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The installed packages `names` need, found from `fromDir` in the workspace's node_modules (the
 * pnpm store's files), with every dependency they have, recursively: what an npm install of
 * `names` would download.
 */
export function installedClosure(names: readonly string[], fromDir: string): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (name: string, from: string) => {
    if (found.has(name)) return;
    const dir = packageDir(name, from);
    if (!dir) throw new Error(`${name} is not installed under ${fromDir}: run pnpm install in the workspace first`);
    found.set(name, dir);
    const m = readManifest(dir);
    for (const dep of Object.keys({ ...m.dependencies, ...m.optionalDependencies })) {
      if (m.optionalDependencies?.[dep] && !packageDir(dep, dir)) continue;
      visit(dep, dir);
    }
  };
  for (const name of names) visit(name, realpathSync(fromDir));
  return found;
}

/** The one .tgz a pack command wrote into an empty `dest`. */
function onlyTarball(dest: string): string {
  const files = readdirSync(dest).filter((f) => f.endsWith('.tgz'));
  if (files.length !== 1) throw new Error(`expected one tarball in ${dest}, found ${files.join(', ') || 'none'}`);
  return join(dest, files[0]!);
}

/** `pnpm pack` of a workspace package (workspace: ranges become versions) into `dest`. */
export async function packWorkspacePackage(pkgDir: string, dest: string): Promise<string> {
  await runAsync('pnpm', ['pack', '--pack-destination', dest], { cwd: pkgDir, timeoutMs: PACK_TIMEOUT_MS });
  return onlyTarball(dest);
}

/**
 * A tarball of an installed package's directory (the files its registry tarball held: the pnpm
 * store keeps them as they came) into `dest`. tar, not `npm pack`: npm 11 dies on tfjs-core's
 * folder ("Exit handler never called"), and npm strips the top folder whatever its name.
 * --hard-dereference: the store hard-links identical files (tfjs-backend-wasm's dist/*.wasm and
 * wasm-out/*.wasm), and npm drops hard-link entries when it extracts.
 */
export async function packInstalledPackage(dir: string, dest: string): Promise<string> {
  const { name, version } = readManifest(dir);
  const file = join(dest, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
  await runAsync('tar', ['--hard-dereference', '-czf', file, '-C', dirname(dir), basename(dir)], { cwd: dest, timeoutMs: PACK_TIMEOUT_MS });
  return onlyTarball(dest);
}
