import { closeSync, fstatSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let captures = 0;

/**
 * Runs fn with file descriptor 2 pointed at a temporary file, and returns what was written to
 * stderr meanwhile, native code included (Dawn prints its notices with fprintf, past Node's
 * process.stderr). Node has no dup2, but POSIX gives open() the lowest free descriptor: with
 * 0 and 1 open, closing 2 and opening a file makes that file fd 2, and /proc/self/fd/<copy>
 * reopens the real stderr (terminal, pipe or file, in append mode) the same way afterwards.
 *
 * A log file opened without O_APPEND (`2> log`, `> log 2>&1`) is reopened in append mode first,
 * stdout too where it writes the same file, so the two keep interleaving as before: that is safe
 * only while each is at the file's end, which is checked. fn must be synchronous, so no
 * JavaScript writes in between. Where this cannot be done, fn runs as is and `captured` is null:
 * not Linux, stdin or stdout closed, stderr a socket (a Node parent's default pipes) or a file
 * written somewhere other than its end.
 */
export function captureNativeStderr<T>(fn: () => T): { result: T; captured: string | null } {
  let original: number;
  try {
    if (process.platform !== 'linux') throw new Error('linux only');
    fstatSync(0);
    fstatSync(1);
    appendToFiles();
    original = openSync('/proc/self/fd/2', 'a');
  } catch {
    return { result: fn(), captured: null };
  }
  const path = join(tmpdir(), `convnets-stderr-${process.pid}-${captures++}.log`);
  closeSync(2);
  let fd = -1;
  try {
    fd = openSync(path, 'w+');
  } finally {
    if (fd !== 2) restore(original, fd);
  }
  if (fd !== 2) return { result: fn(), captured: null };
  const finish = (): string => {
    const text = readFileSync(path, 'utf8');
    restore(original, 2);
    rmSync(path, { force: true });
    return text;
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    // fn failed: what it printed may say why.
    process.stderr.write(finish());
    throw e;
  }
  return { result, captured: finish() };
}

const O_APPEND = 0o2000;

/** fd's offset and flags, from Linux's /proc/self/fdinfo (flags in octal). */
function fdInfo(fd: number): { pos: number; appending: boolean } {
  const info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
  const pos = /^pos:\s+(\d+)$/m.exec(info)?.[1];
  const flags = /^flags:\s+([0-7]+)$/m.exec(info)?.[1];
  if (pos === undefined || flags === undefined) throw new Error(`no fdinfo for fd ${fd}`);
  return { pos: Number(pos), appending: (parseInt(flags, 8) & O_APPEND) !== 0 };
}

/**
 * Where stderr is a regular file opened without O_APPEND, reopens it in append mode, and stdout
 * with it where stdout writes the same file (as `> log 2>&1` sets them up), so that neither
 * overwrites what the other wrote once fd 2 has been reopened. Throws where a file's offset is
 * not at its end: appending would then move its writes.
 */
function appendToFiles(): void {
  const err = fstatSync(2);
  if (!err.isFile()) return;
  const out = fstatSync(1);
  const fds = out.isFile() && out.dev === err.dev && out.ino === err.ino ? [1, 2] : [2];
  for (const fd of fds) {
    const { pos, appending } = fdInfo(fd);
    if (appending) continue;
    if (pos !== fstatSync(fd).size) throw new Error(`fd ${fd} writes inside its file`);
    reopenAppending(fd);
  }
}

/** Replaces fd by a new append-mode descriptor of the same file (the lowest free descriptor is fd once it is closed). */
function reopenAppending(fd: number): void {
  const copy = openSync(`/proc/self/fd/${fd}`, 'a');
  closeSync(fd);
  const back = openSync(`/proc/self/fd/${copy}`, 'a');
  closeSync(copy);
  if (back !== fd) throw new Error(`could not reopen fd ${fd} (got ${back})`);
}

/** Closes the capture (if open) and makes fd 2 the real stderr again. */
function restore(original: number, capture: number): void {
  if (capture >= 0) closeSync(capture);
  const back = openSync(`/proc/self/fd/${original}`, 'a');
  closeSync(original);
  if (back !== 2) throw new Error(`could not restore stderr (reopened as fd ${back})`);
}
