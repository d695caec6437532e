/** summary (checked against hand-counted parameters), data, and runtime failures that exit 1. */
import { describe, expect, it } from 'vitest';
import { DATA_DIR, errorLines, runCli } from './helpers.js';

/** LeNet-5 as the book builds it, counted by hand: weights k*k*in*out + out biases, then the dense layers. */
function lenetParams(): number {
  const conv = (inC: number, outC: number, k: number) => inC * outC * k * k + outC;
  const dense = (i: number, o: number) => i * o + o;
  return conv(1, 6, 5) + conv(6, 16, 5) + dense(16 * 5 * 5, 120) + dense(120, 84) + dense(84, 10);
}

describe.concurrent('convnets summary', () => {
  it('--json for lenet: shapes and a parameter count that matches an independent count', async () => {
    const r = await runCli(['summary', '--model', 'lenet', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { model: string; inputShape: number[]; params: number; layers: { name: string; outputShape: number[]; params: number }[] };
    expect(lenetParams()).toBe(61706);
    expect(s.params).toBe(lenetParams());
    expect(s.layers.reduce((a, l) => a + l.params, 0)).toBe(s.params);
    expect(s.layers.at(-1)!.outputShape).toEqual([1, 10]);
    expect(s.inputShape).toEqual([1, 1, 28, 28]);
  });

  it('prints a table', async () => {
    const r = await runCli(['summary', '--model', 'lenet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/61,?706/);
  });

  it('alexnet at 32x32 exits 1 naming the layer that is too small', async () => {
    const r = await runCli(['summary', '--model', 'alexnet', '--input-size', '32']);
    expect(r.code).toBe(1);
    const lines = errorLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/alexnet cannot take 32x32 inputs: .*\((Conv2d|MaxPool2d|AvgPool2d)\(/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe.concurrent('convnets data', () => {
  it('reports the source, counts and checksums', async () => {
    const r = await runCli(['data', '--data-dir', DATA_DIR, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const stats = JSON.parse(r.stdout) as { checksumsOk: boolean; splits: { split: string; count: number; classCounts: number[] }[] };
    expect(stats.checksumsOk).toBe(true);
    expect(stats.splits.map((s) => [s.split, s.count])).toEqual([
      ['train', 60000],
      ['test', 10000],
    ]);
    expect(stats.splits[1].classCounts).toEqual(Array(10).fill(1000));
  });

  it('a missing data dir exits 1 with one line', async () => {
    const r = await runCli(['data', '--data-dir', '/nonexistent/fashion']);
    expect(r.code).toBe(1);
    const lines = errorLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/not found.*\/nonexistent\/fashion.*--data-dir/);
  });

  it('train with a missing data dir exits 1', async () => {
    const r = await runCli(['train', '--data-dir', '/nonexistent/fashion', '--backend', 'cpu', '--out', '/tmp/convnets-never']);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/\/nonexistent\/fashion/);
  });

  it('train alexnet --input-size 32 exits 1 naming the layer', async () => {
    const r = await runCli(['train', '--model', 'alexnet', '--input-size', '32', '--backend', 'cpu', '--limit-train', '100', '--limit-test', '100', '--out', '/tmp/convnets-never']);
    expect(r.code).toBe(1);
    const lines = errorLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/alexnet cannot take 32x32 inputs: \S+ \((Conv2d|MaxPool2d)\(/);
  });
});
