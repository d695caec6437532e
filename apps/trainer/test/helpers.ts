/** Spawns the real CLI (src/cli.ts through tsx, workspace packages from their sources). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_DIR = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  done: Promise<CliResult>;
}

/** A CLI run that outlives this is killed (SIGKILL), so a hung child never outlives its test. */
export const CLI_TIMEOUT_MS = 30 * 60_000;

export function startCli(args: string[], env: Record<string, string | undefined> = {}): Running {
  const child = spawn(process.execPath, ['--conditions=@convnets/source', '--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: APP_DIR,
    env: { ...process.env, CI: '1', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => {
    stderr += `\n[killed: the CLI ran past ${CLI_TIMEOUT_MS / 1000} s]`;
    child.kill('SIGKILL');
  }, CLI_TIMEOUT_MS);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `convnets-cli-${prefix}-`));
}

/** Resolves once `pattern` appears in the running CLI's stdout. */
export function waitForStdout(r: Running, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in stdout:\n${r.stdout()}\n${r.stderr()}`)), timeoutMs);
    const check = () => {
      if (pattern.test(r.stdout())) {
        clearTimeout(timer);
        r.child.stdout!.off('data', check);
        resolve();
      }
    };
    r.child.stdout!.on('data', check);
    r.child.on('close', () => {
      clearTimeout(timer);
      if (!pattern.test(r.stdout())) reject(new Error(`CLI exited before ${pattern} appeared:\n${r.stdout()}\n${r.stderr()}`));
    });
    check();
  });
}

/** Asserts the one-line, no-stack-trace error contract. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '');
}
