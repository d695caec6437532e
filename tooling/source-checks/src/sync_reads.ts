/**
 * Finds synchronous tensor reads in library and app sources. On a GPU backend they stall the
 * device, and in Node (Dawn's WebGPU) or in a worker they fail outright, so they belong only in
 * kernels that run on cpu or wasm, where they read memory that is already on the CPU.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/** tfjs's synchronous reads: Tensor.dataSync/arraySync/bufferSync and KernelBackend.readSync. */
export const SYNC_READS: readonly string[] = ['dataSync', 'arraySync', 'bufferSync', 'readSync'];

/**
 * Directories (any path segment) whose code runs only on the cpu or wasm backend: kernels.
 * Add a segment here when kernels move; a segment in GPU_DIRS below overrides these.
 */
// `shared`: @convnets/backends' kernels that the cpu and wasm backends both register.
export const CPU_WASM_DIRS: readonly string[] = ['kernels', 'cpu', 'wasm', 'shared'];
export const GPU_DIRS: readonly string[] = ['webgpu', 'webgl'];

/** Each sync read in a cpu/wasm directory says why, in a comment naming cpu or wasm, on its line or the 3 above. */
const WHY = /(\/\/|\/\*|^\s*\*).*\b(cpu|wasm)\b/i;
const WHY_LINES = 3;

export interface SyncRead {
  /** Path relative to the scanned root, with forward slashes. */
  file: string;
  line: number;
  code: string;
  problem: 'outside the cpu/wasm kernels' | 'no comment saying why (naming cpu or wasm)';
}

/** Whether a path is in a cpu/wasm-only directory (and none for a GPU). */
export function inCpuWasmDir(path: string): boolean {
  const dirs = path.split('/').slice(0, -1);
  return dirs.some((d) => CPU_WASM_DIRS.includes(d)) && !dirs.some((d) => GPU_DIRS.includes(d));
}

/** The sync reads in one source file that break the rule. */
export function syncReadsIn(path: string, source: string): SyncRead[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const lines = source.split('\n');
  const allowed = inCpuWasmDir(path);
  const found: SyncRead[] = [];
  const visit = (node: ts.Node): void => {
    const name = accessedName(node);
    if (name && SYNC_READS.includes(name) && !isFsReadSync(node, name)) {
      const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const code = lines[line]!.trim();
      if (!allowed) found.push({ file: path, line: line + 1, code, problem: 'outside the cpu/wasm kernels' });
      else if (!lines.slice(Math.max(0, line - WHY_LINES), line + 1).some((l) => WHY.test(l))) {
        found.push({ file: path, line: line + 1, code, problem: 'no comment saying why (naming cpu or wasm)' });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** `x.name` or `x['name']`: the name accessed, called or passed on. */
function accessedName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) return node.argumentExpression.text;
  return undefined;
}

/** node:fs's readSync (a file read) is not a tensor read. */
function isFsReadSync(node: ts.Node, name: string): boolean {
  return name === 'readSync' && ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'fs';
}

/** Every .ts/.tsx/.js/.mjs file under dir, tests (`*_test.ts`) and declarations left out. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...sourceFiles(path));
    } else if (/\.(ts|tsx|js|mjs)$/.test(entry.name) && !/_test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(path);
    }
  }
  return out;
}

/** The sync reads that break the rule in every `packages/<name>/src` and `apps/<name>/src` under root. */
export function findSyncReads(root: string): SyncRead[] {
  const found: SyncRead[] = [];
  for (const group of ['packages', 'apps']) {
    for (const pkg of readdirSync(join(root, group))) {
      const src = join(root, group, pkg, 'src');
      if (!statSync(src, { throwIfNoEntry: false })?.isDirectory()) continue;
      for (const path of sourceFiles(src)) found.push(...syncReadsIn(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8')));
    }
  }
  return found;
}

/** One line per problem, for a test failure. */
export function formatSyncRead(r: SyncRead): string {
  return `${r.file}:${r.line}: ${r.problem}: ${r.code}`;
}
