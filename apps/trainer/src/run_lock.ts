/**
 * An exclusive lock on a run directory: `.lock` holds the owner's pid, host and start time,
 * created with O_EXCL so that two trainings can never write one run at once. A lock left by a
 * process that is gone (same host, pid not running) is taken over with a notice.
 */
import { readFileSync, rmSync } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CliError } from './errors.js';

export const LOCK_FILE = '.lock';
/** A lock file younger than this that cannot be read is still being written. */
const FRESH_MS = 10_000;

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  command?: string;
}

export interface RunLock {
  path: string;
  /** Removes the lock (only if it is still ours). Safe to call twice. */
  release(): void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const o = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? { startedAt: '?', ...o } as LockOwner : null;
  } catch {
    return null;
  }
}

/** Takes the lock on `dir` (which must exist); `notice` hears about a stale lock taken over. */
export async function lockRunDir(dir: string, notice: (line: string) => void, command = 'convnets train'): Promise<RunLock> {
  const path = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      try {
        await fh.writeFile(`${JSON.stringify(me)}\n`);
      } finally {
        await fh.close();
      }
      return makeLock(path, me);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = await readOwner(path);
    if (owner && owner.host !== me.host) {
      throw new CliError(
        `${dir} is in use by ${owner.command ?? 'another run'} (pid ${owner.pid} on host ${owner.host}, started ${owner.startedAt}); ` +
          `wait for it to finish or pick another --out (if that run is gone, delete ${path})`,
      );
    }
    if (owner && isRunning(owner.pid)) {
      throw new CliError(
        `${dir} is in use by ${owner.command ?? 'another run'} (pid ${owner.pid} on ${owner.host}, started ${owner.startedAt}); ` +
          'wait for it to finish or pick another --out',
      );
    }
    // An empty or partial lock may be one another run is writing this very moment.
    if (!owner && Date.now() - (await stat(path).then((st) => st.mtimeMs, () => 0)) < FRESH_MS) {
      throw new CliError(`${dir} is being locked by another run right now; wait for it to finish or pick another --out`);
    }
    notice(
      owner
        ? `note: took over the lock of ${dir} from pid ${owner.pid} (started ${owner.startedAt}), which is no longer running`
        : `note: took over an unreadable lock file in ${dir}`,
    );
    await rm(path, { force: true });
  }
  throw new CliError(`${dir}: another process keeps taking the lock; wait for it to finish or pick another --out`);
}

function makeLock(path: string, me: LockOwner): RunLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      const o = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
      if (o.pid === me.pid && o.startedAt === me.startedAt) rmSync(path, { force: true });
    } catch {
      // Already gone, or not ours: leave it.
    }
  };
  // process.exit (a second Ctrl-C) skips finally blocks but still runs 'exit' listeners.
  process.on('exit', release);
  return { path, release };
}
