/**
 * The run directory (--out) of `convnets train`: checked before any work, locked for the run,
 * cleaned of stale temp files, and never overwritten or resumed by accident.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CliError, UsageError } from './errors.js';
import { fsError } from './fs_errors.js';
import { lockRunDir, type RunLock } from './run_lock.js';
import { plural } from './plural.js';

/** The files a run writes (what --overwrite removes). */
export const RUN_FILES = ['config.json', 'checkpoint.safetensors', 'checkpoint.json', 'metrics.jsonl', 'model.safetensors', 'curves.svg', 'confusion.svg'];
const CHECKPOINT_FILE = 'checkpoint.safetensors';
/** writeFileAtomic's temp names: .<file>.<pid>.<8 hex>.tmp */
const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

/** Resolves --out, refusing an empty path, a virtual file system, or a path through a file (usage errors, exit 2). */
export function resolveOut(flag: string | undefined, fallback: string): string {
  if (flag !== undefined && flag.trim() === '') throw new UsageError("--out must name a directory, got ''");
  const out = resolve(flag ?? fallback);
  const root = VIRTUAL_ROOTS.find((r) => out === r || out.startsWith(`${r}/`));
  if (root) throw new UsageError(`--out ${out} is inside ${root}, a virtual file system; pick a directory on disk`);
  for (let p = out; ; p = dirname(p)) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      if (dirname(p) === p) break;
      continue;
    }
    if (!isDir) throw new UsageError(`--out ${out}: ${p} is a file, not a directory; pick another --out`);
    break;
  }
  return out;
}

export interface PreparedRunDir {
  lock: RunLock;
  /** With --overwrite: removes the earlier run's files (call once the new run is about to write). */
  clearEarlierRun(): Promise<void>;
}

/** A short description of what `dir` holds, from its human-readable checkpoint.json if any. */
async function describeRun(dir: string, files: string[]): Promise<string> {
  let progress = '';
  try {
    const s = JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8')) as { epoch?: number; step?: number };
    if (typeof s.epoch === 'number') progress = `checkpoint after ${plural(s.epoch, 'epoch')}${s.step ? ` and ${s.step} steps` : ''}; `;
  } catch {
    // No readable copy of the state: list the files only.
  }
  return `${progress}${files.join(', ')}`;
}

/**
 * Creates and locks `out`, removes stale temp files, and checks that what it holds fits the
 * request: a fresh run needs an empty directory (or --overwrite), --resume needs a checkpoint
 * and its config.json.
 */
export async function prepareRunDir(out: string, o: { resume: boolean; overwrite: boolean }, notice: (line: string) => void): Promise<PreparedRunDir> {
  if (o.resume && !existsSync(out)) throw new CliError(`nothing to resume: ${out} does not exist; check --out, or start a new run without --resume`);
  try {
    await mkdir(out, { recursive: true });
  } catch (e) {
    throw fsError(e, out, 'cannot create the run directory');
  }
  const lock = await lockRunDir(out, notice);
  try {
    const names = await readdir(out);
    const stale = names.filter((n) => TEMP_FILE.test(n) && Number(TEMP_FILE.exec(n)![1]) !== process.pid);
    await Promise.all(stale.map((n) => rm(join(out, n), { force: true })));
    if (stale.length) notice(`note: removed ${plural(stale.length, 'stale temp file')} left by an interrupted write (${stale.join(', ')})`);
    const present = RUN_FILES.filter((f) => names.includes(f));
    if (o.resume) {
      if (!present.includes(CHECKPOINT_FILE)) {
        const holds = present.length ? `it holds ${present.join(', ')} but no ${CHECKPOINT_FILE}` : `no ${CHECKPOINT_FILE} there`;
        const fix = present.length ? 'start a new run with --overwrite instead of --resume, or pick another --out' : 'start a new run without --resume';
        throw new CliError(`nothing to resume in ${out}: ${holds}; ${fix}`);
      }
      if (!present.includes('config.json')) {
        throw new CliError(`${out} has a checkpoint but no config.json, so how it was trained is unknown; start afresh with --overwrite or pick another --out`);
      }
    } else if (present.length && !o.overwrite) {
      throw new CliError(`${out} already holds a run (${await describeRun(out, present)}); continue it with --resume, replace it with --overwrite, or pick another --out`);
    }
    return {
      lock,
      clearEarlierRun: async () => {
        if (o.resume || !present.length) return;
        await Promise.all(RUN_FILES.map((f) => rm(join(out, f), { force: true })));
        notice(`note: --overwrite: removed the earlier run in ${out} (${present.join(', ')})`);
      },
    };
  } catch (e) {
    lock.release();
    throw e instanceof CliError ? e : fsError(e, out, 'cannot prepare the run directory');
  }
}
