import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '@convnets/vitest-config/system';
import { defaultWasmThreads, parseWasmThreads } from './wasm_threads.js';

const fixture = fileURLToPath(new URL('./wasm_threads_fixture.ts', import.meta.url));

/** A hung process is killed after 4 minutes: long enough for a loaded 2-core machine. */
async function train(threads: string) {
  const r = await runCommand(process.execPath, ['--conditions=@convnets/source', '--import', 'tsx', fixture], {
    timeoutMs: 240_000,
    env: { ...process.env, CONVNETS_WASM_THREADS: threads },
  });
  expect(r.timedOut, `killed by the timeout: the process hung (threads ${threads})`).toBe(false);
  return r;
}

describe('wasm threads in Node', () => {
  it('trains on 2 threads, the same numbers as on 1, and the process exits by itself', async () => {
    const runs: { threads: number; threadsNote?: string; helpers: number; losses: number[]; w2: number[] }[] = [];
    for (const t of ['1', '2']) {
      const r = await train(t);
      expect(r.code, r.stderr.slice(-2000)).toBe(0);
      runs.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as (typeof runs)[number]);
    }
    expect(runs.map((r) => r.threads)).toEqual([1, 2]);
    expect(runs.map((r) => r.helpers)).toEqual([0, 1]); // the filter gradient's second thread
    expect(runs[1]!.threadsNote).toBeUndefined();
    expect(runs[1]!.losses[4]!).toBeLessThan(runs[1]!.losses[0]!);
    for (let i = 0; i < 5; i++) expect(runs[1]!.losses[i]!).toBeCloseTo(runs[0]!.losses[i]!, 5);
    runs[1]!.w2.forEach((v, i) => expect(v).toBeCloseTo(runs[0]!.w2[i]!, 5));
  });

  it('refuses a thread count it cannot use, naming the variable', async () => {
    const r = await train('0');
    expect(r.code).not.toBe(0);
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
