import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { prepareRunDir, resolveOut } from './run_dir.js';

describe('run directories', () => {
  it('--resume into a directory that does not exist is refused without creating it', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'convnets-rundir-')), 'missing');
    await expect(prepareRunDir(out, { resume: true, overwrite: false }, () => {})).rejects.toThrow(
      `nothing to resume: ${out} does not exist; check --out, or start a new run without --resume`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('resolveOut refuses virtual file systems as usage errors', () => {
    expect(() => resolveOut('/sys/kernel/run', 'x')).toThrow(UsageError);
    expect(() => resolveOut('/dev', 'x')).toThrow('--out /dev is inside /dev, a virtual file system; pick a directory on disk');
    expect(resolveOut(undefined, '/tmp/a/b')).toBe('/tmp/a/b');
  });
});
