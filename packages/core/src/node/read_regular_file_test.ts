import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileReadError, readRegularFile } from './read_regular_file.js';

describe('readRegularFile', () => {
  it('reads a regular file within the cap', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convnets-read-'));
    await writeFile(join(dir, 'a.bin'), 'hello');
    expect(new TextDecoder().decode(await readRegularFile(join(dir, 'a.bin'), { maxBytes: 5 }))).toBe('hello');
  });

  it('refuses devices, FIFOs, directories, missing and oversized files, naming the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convnets-read-'));
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await writeFile(join(dir, 'big.bin'), new Uint8Array(100));
    const w = { maxBytes: 64, what: 'weights file' };
    await expect(readRegularFile('/dev/zero', w)).rejects.toThrow('/dev/zero: not a regular file (a device, FIFO or socket); give the path of a weights file on disk');
    // A FIFO with no writer would block a plain read forever.
    await expect(readRegularFile(fifo, w)).rejects.toThrow(`${fifo}: not a regular file`);
    await expect(readRegularFile(dir, w)).rejects.toThrow(`${dir}: is a directory, not a weights file`);
    await expect(readRegularFile(join(dir, 'none'), w)).rejects.toThrow(`${join(dir, 'none')}: no such weights file`);
    await expect(readRegularFile(join(dir, 'big.bin', 'x'), w)).rejects.toThrow(/big\.bin\/x: no such weights file \(a part of the path is a file, not a directory\)/);
    await expect(readRegularFile(join(dir, 'big.bin'), w)).rejects.toThrow(/big\.bin: 100 bytes is more than a weights file can hold here \(at most 64\)/);
    await expect(readRegularFile('/dev/zero', w)).rejects.toBeInstanceOf(FileReadError);
  });
});
