import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultWasmThreads, parseWasmThreads } from './wasm_threads.js';

const fixture = fileURLToPath(new URL('./wasm_threads_fixture.ts', import.meta.url));

function train(threads: string) {
  const r = spawnSync(process.execPath, ['--conditions=@convnets/source', '--import', 'tsx', fixture], {
    timeout: 90_000,
    encoding: 'utf8',
    env: { ...process.env, CONVNETS_WASM_THREADS: threads },
  });
  expect(r.signal, `killed by the timeout: the process hung (threads ${threads})`).toBeNull();
  return r;
}

describe('wasm threads in Node', () => {
  it('trains on 2 threads, the same numbers as on 1, and the process exits by itself', () => {
    const runs = ['1', '2'].map((t) => {
      const r = train(t);
      expect(r.status, r.stderr.slice(-2000)).toBe(0);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { threads: number; threadsNote?: string; helpers: number; losses: number[]; w2: number[] };
    });
    expect(runs.map((r) => r.threads)).toEqual([1, 2]);
    expect(runs.map((r) => r.helpers)).toEqual([0, 1]); // the filter gradient's second thread
    expect(runs[1]!.threadsNote).toBeUndefined();
    expect(runs[1]!.losses[4]!).toBeLessThan(runs[1]!.losses[0]!);
    for (let i = 0; i < 5; i++) expect(runs[1]!.losses[i]!).toBeCloseTo(runs[0]!.losses[i]!, 5);
    runs[1]!.w2.forEach((v, i) => expect(v).toBeCloseTo(runs[0]!.w2[i]!, 5));
  });

  it('refuses a thread count it cannot use, naming the variable', () => {
    const r = train('0');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('CONVNETS_WASM_THREADS must be a whole number of threads from 1 to 8, got "0"');
    expect(() => parseWasmThreads('two', '--threads')).toThrow('--threads must be a whole number of threads from 1 to 8, got "two"');
  });

  it('defaults to every core, at most 8', () => {
    const saved = process.env.CONVNETS_WASM_THREADS;
    delete process.env.CONVNETS_WASM_THREADS;
    try {
      expect(defaultWasmThreads()).toBeGreaterThanOrEqual(1);
      expect(defaultWasmThreads()).toBeLessThanOrEqual(8);
    } finally {
      if (saved !== undefined) process.env.CONVNETS_WASM_THREADS = saved;
    }
  });
});
