/**
 * Hostile or odd inputs to eval and predict: devices, FIFOs, missing, oversized, damaged or NaN
 * weights, half-precision weights, decompression-bomb images, a damaged data file. Each is
 * refused with one line naming the path (before the backend starts where the check is cheap),
 * or, for predict, reported per image.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '@convnets/backends';
import { decodeSafetensors, encodeSafetensors, type TensorEntry } from '@convnets/core';
import { maxWeightsFileBytes, saveWeightsFile } from '@convnets/core/node';
import { buildPresetModel, getPreset } from '@convnets/trainer';
import { DATA_DIR, errorLines, runCli, tempDir } from './helpers.js';

const dir = tempDir('hostile');
const good = join(dir, 'lenet.safetensors');
let maxBytes = 0;
const CPU = ['--backend', 'cpu', '--model', 'lenet'];

/** A copy of the good weights with `edit` applied to its tensors. */
function variant(name: string, edit: (t: Record<string, TensorEntry>) => Record<string, TensorEntry>): string {
  const { tensors, metadata } = decodeSafetensors(readFileSync(good));
  const path = join(dir, name);
  writeFileSync(path, encodeSafetensors(edit(tensors), metadata));
  return path;
}

function png(width: number, height: number): Uint8Array {
  const img = new PNG({ width, height });
  for (let k = 0; k < width * height; k++) img.data.set([200, 200, 200, 255], 4 * k);
  return PNG.sync.write(img);
}

/** The 8-byte signature and an IHDR chunk claiming width x height: 33 bytes of a "huge" PNG. */
function pngBomb(width: number, height: number): Uint8Array {
  const out = new Uint8Array(33);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const v = new DataView(out.buffer);
  v.setUint32(16, width);
  v.setUint32(20, height);
  out.set([8, 0, 0, 0, 0], 24);
  return out;
}

/** SOI, an APP0 segment, then a SOF0 claiming width x height. */
function jpegBomb(width: number, height: number): Uint8Array {
  const out = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0, 0, 0, 0, 1, 1, 0x11, 0]);
  const v = new DataView(out.buffer);
  v.setUint16(13, height);
  v.setUint16(15, width);
  return out;
}

beforeAll(async () => {
  await useBackend('cpu');
  const net = buildPresetModel('lenet', getPreset('lenet', 'quick'));
  await saveWeightsFile(net, good, { model: 'lenet' });
  maxBytes = maxWeightsFileBytes(net);
  net.dispose();
  writeFileSync(join(dir, 'item.png'), png(28, 28));
});

describe('weights files', () => {
  it('/dev/zero and a FIFO are refused before the backend starts', async () => {
    const fifo = join(dir, 'weights.fifo');
    execFileSync('mkfifo', [fifo]);
    for (const path of ['/dev/zero', fifo]) {
      const r = await runCli(['eval', ...CPU, '--weights', path, '--data-dir', DATA_DIR]);
      expect(r.code, r.stderr).toBe(1);
      expect(errorLines(r.stderr)).toEqual([`convnets eval: error: ${path}: not a regular file (a device, FIFO or socket); give the path of a weights file on disk`]);
      expect(r.stdout).toBe('');
    }
    const p = await runCli(['predict', ...CPU, '--weights', '/dev/zero', join(dir, 'item.png')]);
    expect(p.code).toBe(1);
    expect(errorLines(p.stderr)).toEqual([`convnets predict: error: /dev/zero: not a regular file (a device, FIFO or socket); give the path of a weights file on disk`]);
  });

  it('a missing file is named once, with the fix, before the backend starts', async () => {
    const missing = join(dir, 'none.safetensors');
    const r = await runCli(['eval', ...CPU, '--weights', missing, '--data-dir', DATA_DIR]);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([
      `convnets eval: error: ${missing}: no such weights file; check --weights (convnets train writes runs/<model>-<preset>/model.safetensors)`,
    ]);
    expect(r.stdout).toBe('');
  });

  it('a file larger than the model can fill is refused unread', async () => {
    const big = join(dir, 'big.safetensors');
    writeFileSync(big, '');
    truncateSync(big, maxBytes + 1);
    const r = await runCli(['eval', ...CPU, '--weights', big, '--data-dir', DATA_DIR]);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([
      `convnets eval: error: ${big}: ${maxBytes + 1} bytes is more than a weights file can hold here (at most ${maxBytes}); is it the right file?`,
    ]);
  });

  it('NaN weights: eval and predict refuse, naming the tensor', async () => {
    const nan = variant('nan.safetensors', (t) => ({ ...t, '3.weight': { ...t['3.weight'], data: Float32Array.from(t['3.weight'].data as Float32Array, (v, i) => (i === 7 ? NaN : v)) } }));
    const message = `${nan}: tensor 3.weight holds NaN or infinite values; it was saved from a diverged run or is damaged, so it cannot be used`;
    const e = await runCli(['eval', ...CPU, '--weights', nan, '--limit-test', '100', '--data-dir', DATA_DIR]);
    expect(e.code).toBe(1);
    expect(errorLines(e.stderr)).toEqual([`convnets eval: error: ${message}`]);
    expect(e.stdout).not.toMatch(/accuracy/);
    const p = await runCli(['predict', ...CPU, '--weights', nan, join(dir, 'item.png')]);
    expect(p.code).toBe(1);
    expect(errorLines(p.stderr)).toEqual([`convnets predict: error: ${message}`]);
  });

  it('overlapping tensors in a safetensors file are refused, naming the file', async () => {
    const { tensors, metadata } = decodeSafetensors(readFileSync(good));
    const bytes = encodeSafetensors(tensors, metadata);
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as Record<string, { data_offsets: number[] }>;
    // 3.bias (16 floats) now reads the first 64 bytes of 0.weight's data (which come before its own).
    const start = header['0.weight'].data_offsets[0];
    header['3.bias'].data_offsets = [start, start + 64];
    const json = new TextEncoder().encode(JSON.stringify(header));
    const hostile = join(dir, 'overlap.safetensors');
    const length = new Uint8Array(8);
    new DataView(length.buffer).setUint32(0, json.length, true);
    writeFileSync(hostile, new Uint8Array([...length, ...json, ...bytes.subarray(8 + headerLen)]));
    const r = await runCli(['eval', ...CPU, '--weights', hostile, '--data-dir', DATA_DIR]);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^convnets eval: error: ${hostile}: tensors "(3\\.bias|0\\.weight)" and "(3\\.bias|0\\.weight)" overlap`));
  });

  it('F16 weights are cast to f32 with a note, and predict works', async () => {
    const f16 = variant('half.safetensors', (t) =>
      Object.fromEntries(
        Object.entries(t).map(([k, e]) => {
          const half = Uint16Array.from(e.data as Float32Array, (v) => toHalf(v));
          return [k, { dtype: 'F16', shape: e.shape, data: half }];
        }),
      ),
    );
    const r = await runCli(['predict', ...CPU, '--weights', f16, join(dir, 'item.png')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(`note: ${f16}: 10 F16 tensors cast to F32 on load (as PyTorch's load_state_dict does)`);
    expect(r.stdout).toMatch(/item\.png\n {2}1\. .+ +\d+\.\d%\n/);
  });
});

/** float32 to IEEE half, truncating the mantissa (the weights here are small: no overflow; tiny ones become 0). */
function toHalf(v: number): number {
  const x = new Uint32Array(new Float32Array([v]).buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  return exp <= 0 ? sign : sign | (exp << 10) | ((x >>> 13) & 0x3ff);
}

describe('predict reports each image', () => {
  it('good, missing, device and bomb images: one report per image, exit 1; bombs refused from the header', async () => {
    writeFileSync(join(dir, 'bomb.png'), pngBomb(30000, 30000));
    writeFileSync(join(dir, 'bomb.jpg'), jpegBomb(65000, 65000));
    const files = ['item.png', 'missing.png', 'bomb.png', 'bomb.jpg'].map((f) => join(dir, f)).concat('/dev/zero');
    const r = await runCli(['predict', ...CPU, '--weights', good, ...files]);
    expect(r.code, r.stderr).toBe(1);
    const errors = [
      `${files[1]}: no such image file`,
      `${files[2]}: the header claims 30000x30000 = 900000000 pixels, more than the 178956970 allowed (Pillow's limit); shrink the image first (predict works at 28x28 anyway)`,
      `${files[3]}: the header claims 65000x65000 = 4225000000 pixels, more than the 178956970 allowed (Pillow's limit); shrink the image first (predict works at 28x28 anyway)`,
      '/dev/zero: not a regular file (a device, FIFO or socket); give the path of an image file on disk',
    ];
    expect(errorLines(r.stderr)).toEqual(errors.map((e) => `convnets predict: error: ${e}`));
    expect(r.stdout).toMatch(new RegExp(`^${files[0]}\\n {2}1\\. .+ +\\d+\\.\\d%\\n {2}2\\. .+\\n {2}3\\. .+\\n`, 'm'));
    for (const e of errors) {
      const [file, ...rest] = e.split(': ');
      expect(r.stdout).toContain(`${file}\n  error: ${rest.join(': ')}\n`);
    }

    const json = await runCli(['predict', ...CPU, '--weights', good, '--json', files[0], files[1]]);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { file: string; error?: string; top?: unknown[] }[];
    expect(parsed.map((p) => [p.file, p.error, p.top?.length])).toEqual([[files[0], undefined, 3], [files[1], 'no such image file', undefined]]);

    const none = await runCli(['predict', ...CPU, '--weights', good, files[2]]);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(errorLines(none.stderr)).toEqual([`convnets predict: error: ${errors[1]}`]);
  });
});

it('a damaged data file is named with its full path', async () => {
  const data = tempDir('baddata');
  mkdirSync(join(data, 'd'));
  for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz']) symlinkSync(join(DATA_DIR, f), join(data, 'd', f));
  const labels = new Uint8Array([0, 0, 8, 1, 0, 0, 0x27, 0x10, 1, 2, 3, 4, 5]);
  writeFileSync(join(data, 'd', 't10k-labels-idx1-ubyte.gz'), gzipSync(labels));
  const r = await runCli(['eval', ...CPU, '--weights', good, '--data-dir', join(data, 'd')]);
  expect(r.code).toBe(1);
  expect(errorLines(r.stderr)).toEqual([
    `convnets eval: error: ${join(data, 'd', 't10k-labels-idx1-ubyte.gz')}: truncated, header says 10000 labels, file holds 5; see 'convnets data' for the checksum status`,
  ]);
});
