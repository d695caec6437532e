import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./native_stderr_fixture.ts', import.meta.url));
const ARGS = ['--conditions=@convnets/source', '--import', 'tsx', FIXTURE];
const CAPTURED = { result: 7, captured: 'inside\n', quiet: 'adapter' };
const PASSED_ON = 'before\nDawn: something else\nafter\n';
const tempFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'convnets-stderr-')), name);

/** Runs the fixture with stderr (and stdout, with stdoutToo) on `path` opened with `flags`; returns its piped stdout. */
function runToFile(path: string, flags: 'a' | 'w', { stdoutToo = false } = {}): string {
  const fd = openSync(path, flags);
  try {
    const r = spawnSync(process.execPath, ARGS, { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', stdoutToo ? fd : 'pipe', fd] });
    expect(r.status, readFileSync(path, 'utf8')).toBe(0);
    return r.stdout ?? '';
  } finally {
    closeSync(fd);
  }
}

describe('captureNativeStderr and withoutDawnNotices', () => {
  it('take what fd 2 receives inside, pass on the rest, and give stderr back: a pipe', () => {
    // As `convnets train 2>&1 | tee log`: the child's stderr is a pipe (cat's stdin).
    const out = tempFile('out.json');
    const quoted = [process.execPath, ...ARGS].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('sh', ['-c', `${quoted} 2>&1 >'${out}' | cat`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(CAPTURED);
    expect(r.stdout).toBe(PASSED_ON);
  });

  it('append to a stderr file after what it holds, overwriting nothing', () => {
    const path = tempFile('err.log');
    writeFileSync(path, 'earlier\n');
    expect(JSON.parse(runToFile(path, 'a'))).toEqual(CAPTURED);
    expect(readFileSync(path, 'utf8')).toBe(`earlier\n${PASSED_ON}`);
  });

  it('reopen stdout and stderr sharing a file opened without O_APPEND (`> log 2>&1`) in append mode: captured, in order', () => {
    const path = tempFile('both.log');
    runToFile(path, 'w', { stdoutToo: true });
    expect(readFileSync(path, 'utf8')).toBe(`${PASSED_ON}${JSON.stringify(CAPTURED)}\n`);
  });

  it('capture a stderr file of its own opened without O_APPEND (`2> log`)', () => {
    const path = tempFile('err.log');
    expect(JSON.parse(runToFile(path, 'w'))).toEqual(CAPTURED);
    expect(readFileSync(path, 'utf8')).toBe(PASSED_ON);
  });

  it("leave a socket stderr (a Node parent's default pipes) alone: nothing captured, nothing lost, one note on the notices", () => {
    const r = spawnSync(process.execPath, ARGS, { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ...CAPTURED, captured: null });
    expect(r.stderr).toMatch(/^before\ninside\nWarning: maxDynamic.*\nDawn: something else\nWarning: maxDynamic.*\nnote: the "artificially reduced" warnings above are Dawn's and harmless.*\nafter\n$/);
  });
});
