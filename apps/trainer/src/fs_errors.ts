/** Raw errno errors (ENOSPC, ENOTDIR, EACCES, ...) as one line naming the path and the fix. */
import { CliError } from './errors.js';

const FIXES: Record<string, (path: string) => string> = {
  ENOSPC: (p) => `no space left on the device holding ${p}; free some space (or pick another --out) and run again`,
  EDQUOT: (p) => `disk quota exceeded writing ${p}; free some space (or pick another --out) and run again`,
  ENOTDIR: (p) => `${p}: a part of this path is a file, not a directory; pick another path`,
  EACCES: (p) => `${p}: permission denied; pick a directory you can write to`,
  EPERM: (p) => `${p}: operation not permitted; pick a directory you can write to`,
  EROFS: (p) => `${p} is on a read-only file system; pick another directory`,
  EISDIR: (p) => `${p} is a directory where a file was expected; move it away or pick another path`,
  ENOENT: (p) => `${p}: no such file or directory`,
  EEXIST: (p) => `${p} already exists where a directory was expected; pick another path`,
  EMFILE: (p) => `too many open files while writing ${p}; raise the limit (ulimit -n) and run again`,
  EIO: (p) => `input/output error on ${p}; the disk may be failing`,
};

/**
 * A CliError for a file-system failure: `doing` (e.g. "cannot write the run's files"), then the
 * path (the error's own, else `path`) and what to do. Errors without an errno code keep their text.
 */
export function fsError(e: unknown, path: string, doing: string): CliError {
  const err = e as NodeJS.ErrnoException;
  const explain = err.code ? FIXES[err.code] : undefined;
  if (explain) return new CliError(`${doing}: ${explain(err.path ?? path)}`, { cause: e });
  return new CliError(`${doing} in ${path}: ${err.message}`, { cause: e });
}
