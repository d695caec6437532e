import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const wasmDir = join(root, 'packages', 'backends', 'src', 'wasm');

/** The start of every hand-written wasm module's base64 bytes, both builds (shared memory and own). */
function wasmKernelBytes(): string[] {
  return readdirSync(wasmDir)
    .filter((f) => f.endsWith('_wasm.ts'))
    .flatMap((f) => [...readFileSync(join(wasmDir, f), 'utf8').matchAll(/= '([A-Za-z0-9+/=]{64})/g)].map((m) => m[1]!));
}

/** A production bundle of a page whose only import is `entry`, as a bundler for browsers makes it. */
async function bundlePage(entry: string, opts: { external?: string[] } = {}): Promise<{ code: string; inputs: string[]; metafile: Metafile }> {
  const result = await build({
    stdin: { contents: `import ${JSON.stringify(entry)};`, resolveDir: join(root, 'tooling', 'pack-check'), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external: opts.external ?? [],
    conditions: ['@convnets/source'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles.map((f) => f.text).join('\n');
  return { code, inputs: Object.keys(result.metafile.inputs), metafile: result.metafile };
}

const isBuiltin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);

/**
 * Node built-ins the bundle would load: imported by any bundled module and not replaced by an
 * empty module (tfjs-core's package.json maps `util` and `crypto` to false for browsers).
 */
function builtinsLoaded(metafile: Metafile): string[] {
  return Object.entries(metafile.inputs).flatMap(([file, input]) =>
    input.imports.filter((i) => isBuiltin(i.original ?? i.path) && !i.path.startsWith('(disabled):')).map((i) => `${file} imports ${i.original ?? i.path}`),
  );
}

/**
 * How many builds the .wat sources make: shared-memory and own-memory builds of each module, and
 * again in relaxed SIMD for each that multiplies-adds (`(madd`, itself or in an included tile).
 */
function expectedBuilds(): number {
  const source = (f: string) => readFileSync(join(wasmDir, f), 'utf8');
  const withIncludes = (f: string) => source(f).replace(/;; include (\S+)/g, (_, name: string) => source(name));
  const modules = readdirSync(wasmDir).filter((f) => f.endsWith('.wat'));
  return modules.reduce((n, f) => n + (withIncludes(f).includes('(madd') ? 4 : 2), 0);
}

describe('a page that imports only @convnets/backends/webgpu', () => {
  const kernels = wasmKernelBytes();

  it('finds the wasm kernel bytes it looks for (every module, every build)', () => {
    expect(kernels.length).toBe(expectedBuilds());
    expect(kernels.length).toBeGreaterThanOrEqual(14);
  });

  it('sees what it looks for: a page on @convnets/backends/wasm bundles the wasm kernels, one on /node a Node built-in', async () => {
    const { code } = await bundlePage('@convnets/backends/wasm');
    for (const bytes of kernels) expect(code).toContain(bytes);
    const node = await bundlePage('@convnets/backends/node', { external: ['webgpu', ...builtinModules.flatMap((m) => [m, `node:${m}`])] });
    expect(builtinsLoaded(node.metafile).length).toBeGreaterThan(0);
  });

  it('bundles no wasm kernel bytes, no tfjs-backend-wasm and no Node built-ins', async () => {
    const { code, inputs, metafile } = await bundlePage('@convnets/backends/webgpu');
    expect(inputs.some((p) => p.includes('tfjs-backend-webgpu'))).toBe(true);
    for (const bytes of kernels) expect(code).not.toContain(bytes);
    expect(inputs.filter((p) => /tfjs-backend-wasm|packages\/backends\/src\/(wasm|node|cpu|tensorflow)\//.test(p))).toEqual([]);
    expect(builtinsLoaded(metafile)).toEqual([]);
    expect(code).not.toMatch(/(?:from|import\(|require\()\s*["']node:/);
  });
});
