import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedClosure, packInstalledPackage, packWorkspacePackage } from './offline_tarballs.js';
import { runAsync } from './run_async.js';

const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const PACKAGES = ['core', 'layers', 'models'] as const;
/** tfjs packages a user of core, layers and models installs, then what @convnets/backends/wasm adds. */
const TFJS_ALONE = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu'];
const TFJS_WASM = ['@tensorflow/tfjs-backend-wasm'];
// npm and pnpm on a loaded 2-core machine: minutes, not seconds.
const INSTALL_TIMEOUT_MS = 600_000;
const RUN_TIMEOUT_MS = 300_000;
const SETUP_TIMEOUT_MS = 1_500_000;
const NO_REGISTRY = 'http://127.0.0.1:9/';

/** The first ```js block of a README: the example a user would paste. */
function readmeExample(pkg: string): string {
  const text = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8');
  const match = /```js\n([\s\S]*?)```/.exec(text);
  if (!match) throw new Error(`packages/${pkg}/README.md has no \`\`\`js example`);
  return match[1]!;
}

/** Runs `tasks` two at a time (the machine has two cores and other work). */
async function twoAtATime<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += 2) results.push(...(await Promise.all(tasks.slice(i, i + 2).map((t) => t()))));
  return results;
}

/**
 * A user's project: `direct` as its dependencies, and every package of the install pinned to a
 * local tarball (npm `overrides`), so `npm install --offline` needs no registry: the tfjs
 * tarballs are packed from the workspace's installed copies (the local pnpm store).
 */
class UserProject {
  readonly dir = mkdtempSync(join(tmpdir(), 'convnets-user-'));
  private readonly tarballs = mkdtempSync(join(tmpdir(), 'convnets-tarballs-'));
  private readonly packed = new Map<string, string>();

  async packWorkspace(pkgs: readonly string[]): Promise<void> {
    await twoAtATime(pkgs.map((pkg) => async () => this.packed.set(`@convnets/${pkg}`, await packWorkspacePackage(join(root, 'packages', pkg), this.slot()))));
  }

  async packInstalled(names: readonly string[]): Promise<void> {
    const closure = [...installedClosure(names, join(root, 'packages', 'backends'))].filter(([name]) => !this.packed.has(name));
    await twoAtATime(closure.map(([name, dir]) => async () => this.packed.set(name, await packInstalledPackage(dir, this.slot()))));
  }

  async install(direct: readonly string[]): Promise<void> {
    const spec = (name: string) => {
      const file = this.packed.get(name);
      if (!file) throw new Error(`no tarball packed for ${name}`);
      return `file:${file}`;
    };
    const pinned = Object.fromEntries([...this.packed.keys()].map((name) => [name, spec(name)]));
    const manifest = { name: 'user-project', private: true, type: 'module', dependencies: Object.fromEntries(direct.map((n) => [n, spec(n)])), overrides: pinned };
    writeFileSync(join(this.dir, 'package.json'), JSON.stringify(manifest, null, 2));
    // An unreachable registry as well as --offline: an install that needed the network fails.
    await runAsync('npm', ['install', '--offline', `--registry=${NO_REGISTRY}`, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: this.dir, timeoutMs: INSTALL_TIMEOUT_MS });
  }

  remove(): void {
    for (const dir of [this.dir, this.tarballs]) rmSync(dir, { recursive: true, force: true });
  }

  installed(scope: string): string[] {
    const dir = join(this.dir, 'node_modules', scope);
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  }

  async runExample(name: string, code: string): Promise<string> {
    const file = join(this.dir, `${name}-example.mjs`);
    writeFileSync(file, code);
    return runAsync('node', [file], { cwd: this.dir, timeoutMs: RUN_TIMEOUT_MS });
  }

  private slot(): string {
    const dir = join(this.tarballs, String(this.packed.size + readdirSync(this.tarballs).length));
    mkdirSync(dir);
    return dir;
  }
}

describe('packages install alone from their tarballs, offline, into one empty project', () => {
  const project = new UserProject();

  beforeAll(async () => {
    await project.packWorkspace([...PACKAGES, 'backends']);
    await project.packInstalled([...TFJS_ALONE, ...TFJS_WASM]);
    await project.install([...PACKAGES.map((p) => `@convnets/${p}`), ...TFJS_ALONE]);
  }, SETUP_TIMEOUT_MS);

  afterAll(() => project.remove());

  it('packs no workspace-only references', () => {
    for (const pkg of PACKAGES) {
      const manifest = readFileSync(join(project.dir, 'node_modules', '@convnets', pkg, 'package.json'), 'utf8');
      expect(manifest).not.toContain('workspace:');
    }
  });

  it('installs core, layers and models with tfjs-core and tfjs-backend-cpu only: no @convnets/backends, nothing web-only or Node-GPU-only', () => {
    expect(project.installed('@convnets')).toEqual(['core', 'layers', 'models']);
    expect(project.installed('@tensorflow')).toEqual(['tfjs-backend-cpu', 'tfjs-core']);
    expect(existsSync(join(project.dir, 'node_modules', 'webgpu'))).toBe(false);
  });

  it('core peers only tfjs-core', () => {
    const manifest = JSON.parse(readFileSync(join(project.dir, 'node_modules', '@convnets', 'core', 'package.json'), 'utf8')) as { peerDependencies?: object };
    expect(Object.keys(manifest.peerDependencies ?? {})).toEqual(['@tensorflow/tfjs-core']);
  });

  for (const pkg of PACKAGES) {
    it(`runs the ${pkg} README example in plain Node on stock tfjs cpu`, async () => {
      const out = await project.runExample(pkg, readmeExample(pkg));
      expect(out.trim().length).toBeGreaterThan(0);
    });
  }

  it('runs a forward pass of a model without @convnets/backends', async () => {
    const code = [
      "import * as tf from '@tensorflow/tfjs-core';",
      "import '@tensorflow/tfjs-backend-cpu';",
      "import { Rng } from '@convnets/core';",
      "import { createModel } from '@convnets/models';",
      "await tf.setBackend('cpu');",
      "const net = createModel('lenet', { rng: new Rng(0) }).eval();",
      'const y = tf.tidy(() => tf.softmax(net.forward(tf.ones([2, 28, 28, 1]))));',
      "console.log(JSON.stringify({ backend: tf.getBackend(), shape: y.shape, sums: Array.from(await tf.sum(y, 1).data()) }));",
    ].join('\n');
    const result = JSON.parse((await project.runExample('forward', code)).trim().split('\n').pop()!) as { backend: string; shape: number[]; sums: number[] };
    expect(result.backend).toBe('cpu');
    expect(result.shape).toEqual([2, 10]);
    for (const s of result.sums) expect(s).toBeCloseTo(1, 5);
  });

  for (const pkg of [...PACKAGES, 'backends']) {
    it(`passes publint: ${pkg}`, async () => {
      const { messages } = await publint({ pkgDir: join(root, 'packages', pkg), strict: true });
      expect(messages.filter((m) => m.type !== 'suggestion')).toEqual([]);
    });
  }

  describe('then @convnets/backends with tfjs-backend-wasm', () => {
    beforeAll(async () => {
      await project.install([...PACKAGES.map((p) => `@convnets/${p}`), '@convnets/backends', ...TFJS_ALONE, ...TFJS_WASM]);
    }, SETUP_TIMEOUT_MS);

    it('adds backends and tfjs-backend-wasm, and still nothing web-only or Node-GPU-only', () => {
      expect(project.installed('@convnets')).toEqual(['backends', 'core', 'layers', 'models']);
      expect(project.installed('@tensorflow')).toEqual(['tfjs-backend-cpu', 'tfjs-backend-wasm', 'tfjs-core']);
      expect(existsSync(join(project.dir, 'node_modules', 'webgpu'))).toBe(false);
    });

    it('trains a LeNet step on wasm with the backends README example: the loss goes down', async () => {
      const out = await project.runExample('backends', readmeExample('backends'));
      const line = out.trim().split('\n').pop()!;
      expect(line).toMatch(/^wasm /);
      const losses = /\[\s*([\d.e+-]+),\s*([\d.e+-]+)\s*\]$/.exec(line);
      expect(losses, line).not.toBeNull();
      const [before, after] = [Number(losses![1]), Number(losses![2])];
      expect(Number.isFinite(before) && Number.isFinite(after)).toBe(true);
      expect(after).toBeLessThan(before);
    });
  });
});
