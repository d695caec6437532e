import { describe, expect, it } from 'vitest';
import { fsError } from './fs_errors.js';

function errno(code: string, message: string, path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code, path });
}

describe('fsError', () => {
  it('turns raw errno text into a line naming the path and the fix', () => {
    expect(fsError(errno('ENOSPC', 'ENOSPC: no space left on device, write'), '/r/run', "cannot write the run's files").message).toBe(
      "cannot write the run's files: no space left on the device holding /r/run; free some space (or pick another --out) and run again",
    );
    expect(fsError(errno('ENOTDIR', 'ENOTDIR: not a directory, lstat', '/r/file/x'), '/r/file/x/run', 'cannot create the run directory').message).toBe(
      'cannot create the run directory: /r/file/x: a part of this path is a file, not a directory; pick another path',
    );
    expect(fsError(errno('EROFS', 'EROFS'), '/ro/run', 'cannot write').message).toBe('cannot write: /ro/run is on a read-only file system; pick another directory');
    expect(fsError(new Error('boom'), '/r/run', 'cannot write').message).toBe('cannot write in /r/run: boom');
    expect(fsError(errno('ENOSPC', 'x'), '/r', 'w').exitCode).toBe(1);
  });
});
