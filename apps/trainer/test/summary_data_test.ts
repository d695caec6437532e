/** summary (checked against hand-counted parameters), data, and runtime failures that exit 1. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DIR, errorLines, overlong, runCli, tempDir } from './helpers.js';

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

  it("lenet: the quick preset's ReLU/max-pool network by default (what train trains), the book's with --preset book", async () => {
    const [quick, book] = await Promise.all([runCli(['summary', '--model', 'lenet']), runCli(['summary', '--model', 'lenet', '--preset', 'book'])]);
    expect(quick.code, quick.stderr).toBe(0);
    expect(quick.stdout.match(/^\d+ +(ReLU|MaxPool2d|Sigmoid|AvgPool2d) /gm)!.map((l) => l.split(/ +/)[1])).toEqual(['ReLU', 'MaxPool2d', 'ReLU', 'MaxPool2d', 'ReLU', 'ReLU']);
    expect(book.code, book.stderr).toBe(0);
    expect(book.stdout.match(/^\d+ +(ReLU|MaxPool2d|Sigmoid|AvgPool2d) /gm)!.map((l) => l.split(/ +/)[1])).toEqual(['Sigmoid', 'AvgPool2d', 'Sigmoid', 'AvgPool2d', 'Sigmoid', 'Sigmoid']);
  });

  it('alexnet: a row for every layer inside conv and fc, as the seed loops over them', async () => {
    const r = await runCli(['summary', '--model', 'alexnet', '--preset', 'book', '--input-size', '224'], { COLUMNS: '80' });
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^(conv|fc)\.\d+ /.test(l));
    expect(rows.map((l) => l.split(/ +/)[0])).toEqual([...Array.from({ length: 13 }, (_, i) => `conv.${i}`), ...Array.from({ length: 7 }, (_, i) => `fc.${i}`)]);
    expect(rows[0]).toMatch(/^conv\.0 +Conv2d +\[1, 96, 54, 54\] +11,712$/);
    expect(rows[12]).toMatch(/^conv\.12 +MaxPool2d +\[1, 256, 5, 5\] +0$/);
    expect(rows.at(-1)).toMatch(/^fc\.6 +Linear +\[1, 10\] +40,970$/);
    expect(overlong(r.stdout)).toEqual([]);
  });

  it("vgg11 at 224 (the book's 128.8M parameters) is summarised from shapes, without allocating them", async () => {
    const r = await runCli(['summary', '--model', 'vgg11', '--preset', 'book', '--width-ratio', '1', '--input-size', '224', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { params: number; layers: { name: string; outputShape: number[] }[] };
    expect(s.params).toBe(128_806_154);
    expect(s.layers.find((l) => l.name === 'vgg_block_5.4')?.outputShape).toEqual([1, 512, 7, 7]);
    expect(s.layers.at(-1)?.outputShape).toEqual([1, 10]);
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
    const r = await runCli(['train', '--data-dir', '/nonexistent/fashion', '--backend', 'cpu', '--out', join(tempDir('no-data'), 'run')]);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/\/nonexistent\/fashion/);
  });

  it('train alexnet --input-size 32 exits 1 naming the layer', async () => {
    const r = await runCli(['train', '--model', 'alexnet', '--input-size', '32', '--backend', 'cpu', '--limit-train', '100', '--limit-test', '100', '--out', join(tempDir('alexnet-32'), 'run')]);
    expect(r.code).toBe(1);
    const lines = errorLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/alexnet cannot take 32x32 inputs: \S+ \((Conv2d|MaxPool2d)\(/);
  });
});
