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
 * fn must be synchronous, so no JavaScript writes in between. Where this cannot be done, fn
 * runs as is and nothing is captured: not Linux, stdin or stdout closed, stderr a socket (a
 * Node parent's default pipes) or a file not opened for appending (`> log 2>&1`: stdout's
 * writes would overwrite ours).
 */
export function captureNativeStderr<T>(fn: () => T): { result: T; captured: string } {
  let original: number;
  try {
    if (process.platform !== 'linux') throw new Error('linux only');
    fstatSync(0);
    fstatSync(1);
    if (fstatSync(2).isFile() && !appending(2)) throw new Error('a file written at an offset');
    original = openSync('/proc/self/fd/2', 'a');
  } catch {
    return { result: fn(), captured: '' };
  }
  const path = join(tmpdir(), `convnets-stderr-${process.pid}-${captures++}.log`);
  closeSync(2);
  let fd = -1;
  try {
    fd = openSync(path, 'w+');
  } finally {
    if (fd !== 2) restore(original, fd);
  }
  if (fd !== 2) return { result: fn(), captured: '' };
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

/** Whether fd was opened with O_APPEND (Linux's /proc/self/fdinfo gives the flags in octal). */
function appending(fd: number): boolean {
  const flags = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
  return flags !== undefined && (parseInt(flags, 8) & O_APPEND) !== 0;
}

/** Closes the capture (if open) and makes fd 2 the real stderr again. */
function restore(original: number, capture: number): void {
  if (capture >= 0) closeSync(capture);
  const back = openSync(`/proc/self/fd/${original}`, 'a');
  closeSync(original);
  if (back !== 2) throw new Error(`could not restore stderr (reopened as fd ${back})`);
}
