import { describe, expect, it } from 'vitest';
import * as FILTER_GRAD_GEMM from '../wasm/filter_grad_gemm_wasm.js';
import { wasmModule } from '../wasm/instance.js';
import { helperThreads } from './helper_threads.js';

type AddTotals = (dst: number, src: number, count: number) => void;

describe('helper threads on a shared wasm memory', () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
  const module = wasmModule(FILTER_GRAD_GEMM, true);
  const own = new WebAssembly.Instance(module, { env: { memory } }).exports as { addTotals: AddTotals };
  const f64 = new Float64Array(memory.buffer);

  it('run an export on their share while this thread runs its own, and return when all are done', () => {
    const helpers = helperThreads(memory, module, 'addTotals', 2)!;
    expect(helpers.count).toBe(2);
    // dst[0..300) += src[300..600), in three ranges of 100 values
    for (let i = 0; i < 300; i++) [f64[i], f64[300 + i]] = [i, 1000 * i];
    const range = (r: number) => [8 * 100 * r, 8 * (300 + 100 * r), 100];
    helpers.run([range(1), range(2)], () => own.addTotals(...(range(0) as [number, number, number])));
    for (let i = 0; i < 300; i++) expect(f64[i]).toBe(1001 * i);
  });

  it("report a helper's failure instead of hanging", () => {
    const helpers = helperThreads(memory, module, 'addTotals', 1)!;
    const outOfBounds = [memory.buffer.byteLength + 64, 0, 2];
    expect(() => helpers.run([outOfBounds], () => {})).toThrow("convnets: a helper thread's addTotals failed");
    helpers.run([[0, 8, 1]], () => {}); // and the next call runs
  });

  it('need a shared memory', () => {
    const unshared = new WebAssembly.Memory({ initial: 1 });
    expect(helperThreads(unshared, module, 'addTotals', 1)).toBeUndefined();
  });
});
