import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockRunDir } from './run_lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'convnets-lock-'));

describe('lockRunDir', () => {
  it('is exclusive while held, names the holder, and is released', async () => {
    const d = dir();
    const notes: string[] = [];
    const lock = await lockRunDir(d, (n) => notes.push(n));
    await expect(lockRunDir(d, (n) => notes.push(n))).rejects.toThrow(
      new RegExp(`^${d} is in use by convnets train \\(pid ${process.pid} on ${hostname()}, started \\d{4}-.*Z\\); wait for it to finish or pick another --out$`),
    );
    lock.release();
    lock.release();
    expect(existsSync(join(d, '.lock'))).toBe(false);
    (await lockRunDir(d, (n) => notes.push(n))).release();
    expect(notes).toEqual([]);
  });

  it("never takes over another host's lock, and waits for a lock being written", async () => {
    const d = dir();
    writeFileSync(join(d, '.lock'), JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 'then', command: 'convnets train' }));
    await expect(lockRunDir(d, () => {})).rejects.toThrow(
      `${d} is in use by convnets train (pid 1 on host elsewhere, started then); wait for it to finish or pick another --out (if that run is gone, delete ${join(d, '.lock')})`,
    );
    const e = dir();
    writeFileSync(join(e, '.lock'), '');
    await expect(lockRunDir(e, () => {})).rejects.toThrow(`${e} is being locked by another run right now`);
    // The same empty lock, a minute old: its writer died; taken over with a note.
    utimesSync(join(e, '.lock'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const notes: string[] = [];
    (await lockRunDir(e, (n) => notes.push(n))).release();
    expect(notes).toEqual([`note: took over an unreadable lock file in ${e}`]);
  });
});
