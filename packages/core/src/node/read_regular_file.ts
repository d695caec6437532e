import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** A file that cannot be read as asked: `path` names it, the message says why and what to do. */
export class FileReadError extends Error {
  readonly path: string;
  readonly code: string | undefined;
  constructor(path: string, message: string, code?: string) {
    super(`${path}: ${message}`);
    this.name = 'FileReadError';
    this.path = path;
    this.code = code;
  }
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** Plain words for the errno codes a read meets. */
function explainCode(code: string | undefined, what: string): string {
  switch (code) {
    case 'ENOENT':
      return `no such ${what}`;
    case 'ENOTDIR':
      return `no such ${what} (a part of the path is a file, not a directory)`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied; check the ${what}'s permissions`;
    case 'EISDIR':
      return `is a directory, not a ${what}`;
    case 'ELOOP':
      return 'too many symbolic links (a link loop?)';
    default:
      return `cannot read the ${what} (${code ?? 'unknown error'})`;
  }
}

/** Checks, without opening it, that `path` is an existing regular file; returns its stats. */
export async function checkRegularFile(path: string, what = 'file'): Promise<Stats> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileReadError(path, explainCode(code, what), code);
  }
  if (st.isDirectory()) throw new FileReadError(path, explainCode('EISDIR', what), 'EISDIR');
  if (!st.isFile()) throw new FileReadError(path, `not a regular file (a device, FIFO or socket); give the path of ${article(what)} ${what} on disk`, 'ENOTREG');
  return st;
}

/**
 * Reads a whole file, refusing anything but a regular file (no /dev/zero, FIFOs, sockets)
 * and anything larger than `maxBytes`, so a hostile path can neither hang nor exhaust memory.
 */
export async function readRegularFile(path: string, o: { maxBytes: number; what?: string }): Promise<Uint8Array> {
  const what = o.what ?? 'file';
  const st = await checkRegularFile(path, what);
  if (st.size > o.maxBytes) throw new FileReadError(path, `${st.size} bytes is more than ${article(what)} ${what} can hold here (at most ${o.maxBytes}); is it the right file?`, 'EFBIG');
  // O_NONBLOCK: should the path have become a FIFO since stat, open() still returns at once.
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((e: NodeJS.ErrnoException) => {
    throw new FileReadError(path, explainCode(e.code, what), e.code);
  });
  try {
    const again = await fh.stat();
    if (!again.isFile() || again.size > o.maxBytes) throw new FileReadError(path, `changed while being read; try again`, 'ECHANGED');
    const buf = new Uint8Array(again.size);
    let at = 0;
    while (at < buf.length) {
      const { bytesRead } = await fh.read(buf, at, buf.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === buf.length ? buf : buf.subarray(0, at);
  } finally {
    await fh.close();
  }
}
