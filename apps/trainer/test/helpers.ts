/** Spawns the real CLI (src/cli.ts through tsx, workspace packages from their sources). */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
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

/** What pnpm sets while it runs the root package.json's `convnets` script (`pnpm convnets ...`). */
export const PNPM_SCRIPT_ENV = { npm_lifecycle_event: 'convnets', npm_config_user_agent: 'pnpm/10.34.9 npm/? node/v20.19.0 linux x64' };

/** The environment of a spawned CLI: no terminal width and no package-manager script unless `env` sets them; undefined removes a variable. */
export function cliEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const merged: Record<string, string | undefined> = { ...process.env, CI: '1', FORCE_COLOR: '0', COLUMNS: undefined, npm_lifecycle_event: undefined, npm_config_user_agent: undefined, ...env };
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
}

/** A CLI run that outlives this is killed (SIGKILL), so a hung child never outlives its test. */
export const CLI_TIMEOUT_MS = 30 * 60_000;

export interface CliOptions {
  stderrFile?: string;
  /** Modules loaded before the CLI (`node --import`), as test fixtures. */
  preload?: string[];
}

/**
 * `stderrFile`: stderr goes to that file, as in `convnets ... 2> log` (a Node pipe is a socket,
 * which the CLI cannot keep Dawn's native notices out of: it then prints a note on them).
 */
export function startCli(args: string[], env: Record<string, string | undefined> = {}, { stderrFile, preload = [] }: CliOptions = {}): Running {
  const errFd = stderrFile ? openSync(stderrFile, 'w') : undefined;
  const imports = ['tsx', ...preload].flatMap((m) => ['--import', m]);
  const child = spawn(process.execPath, ['--conditions=@convnets/source', ...imports, 'src/cli.ts', ...args], {
    cwd: APP_DIR,
    env: cliEnv(env),
    stdio: ['ignore', 'pipe', errFd ?? 'pipe'],
  });
  if (errFd !== undefined) closeSync(errFd);
  let stdout = '';
  let piped = '';
  const stderr = () => (stderrFile ? readFileSync(stderrFile, 'utf8') : piped);
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (piped += d.toString()));
  let killed = '';
  const timer = setTimeout(() => {
    killed = `\n[killed: the CLI ran past ${CLI_TIMEOUT_MS / 1000} s]`;
    child.kill('SIGKILL');
  }, CLI_TIMEOUT_MS);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr: stderr() + killed });
    });
  });
  return { child, stdout: () => stdout, stderr, done };
}

/** A spawned process's exit and everything it printed (stdout and stderr piped). */
export function outputOf(child: ChildProcess): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}, options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, env, options).done;
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

/** Resolves once `pattern` appears in the running CLI's stderr (polled: it may be a file). */
export function waitForStderr(r: Running, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let exited = false;
    r.child.once('close', () => (exited = true));
    const timer = setInterval(() => {
      if (pattern.test(r.stderr())) {
        clearInterval(timer);
        resolve();
      } else if (exited || Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`${exited ? 'CLI exited before' : 'timed out waiting for'} ${pattern} in stderr:\n${r.stdout()}\n${r.stderr()}`));
      }
    }, 100);
  });
}

/** Lines wider than `columns` (a terminal that wide would break them, mid-word or not). */
export function overlong(text: string, columns = 80): string[] {
  return text.split('\n').filter((l) => l.length > columns);
}
