import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findSyncReads, formatSyncRead, inCpuWasmDir, syncReadsIn } from './sync_reads.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');

describe('no synchronous tensor reads outside the cpu/wasm kernels', () => {
  it('holds for every packages/*/src and apps/*/src file (tests aside)', () => {
    // A failure names the file and line: read asynchronously there (await t.data(), t.array()).
    expect(findSyncReads(ROOT).map(formatSyncRead)).toEqual([]);
  });
});

describe('the scanner', () => {
  const APP = 'apps/cli/src/commands/train.ts';

  it('finds dataSync, arraySync, bufferSync and readSync, called or passed on, with their lines', () => {
    const source = [
      "import * as tf from '@tensorflow/tfjs-core';",
      'const a = t.dataSync();',
      'const b = x?.arraySync();',
      "const c = y['bufferSync']();",
      'const d = [p, q].map((v) => backend.readSync(v.dataId));',
      'const e = list.map((v) => v.dataSync);',
    ].join('\n');
    expect(syncReadsIn(APP, source).map((r) => [r.line, r.problem])).toEqual([
      [2, 'outside the cpu/wasm kernels'],
      [3, 'outside the cpu/wasm kernels'],
      [4, 'outside the cpu/wasm kernels'],
      [5, 'outside the cpu/wasm kernels'],
      [6, 'outside the cpu/wasm kernels'],
    ]);
  });

  it('leaves asynchronous reads, comments, strings and fs.readSync alone', () => {
    const source = [
      'const a = await t.data();',
      'const b = await t.array();',
      '// t.dataSync() would stall the GPU',
      "const s = 'dataSync()';",
      'const n = fs.readSync(fd, buffer);',
    ].join('\n');
    expect(syncReadsIn(APP, source)).toEqual([]);
  });

  it('allows kernels in cpu/wasm directories (not webgpu/webgl ones) that say why', () => {
    expect(['packages/core/src/kernels/js_conv2d.ts', 'packages/backends/src/cpu/conv.ts', 'packages/backends/src/wasm/adam.ts'].every(inCpuWasmDir)).toBe(true);
    expect(['packages/backends/src/webgpu/kernels/conv.ts', 'packages/core/src/node/wasm_threads.ts', 'packages/core/src/state_dict.ts'].some(inCpuWasmDir)).toBe(false);
    const kernel = 'packages/backends/src/cpu/sum.ts';
    const withWhy = ['// cpu only: readSync returns the stored array', 'const v = backend.readSync(x.dataId);'].join('\n');
    expect(syncReadsIn(kernel, withWhy)).toEqual([]);
    const without = ['const k = 1;', 'const v = backend.readSync(x.dataId);'].join('\n');
    expect(syncReadsIn(kernel, without).map(formatSyncRead)).toEqual([`${kernel}:2: no comment saying why (naming cpu or wasm): const v = backend.readSync(x.dataId);`]);
    expect(syncReadsIn('packages/backends/src/webgpu/kernels/sum.ts', withWhy)).toHaveLength(1);
  });
});
