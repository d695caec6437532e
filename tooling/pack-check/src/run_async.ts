import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd: string;
  /** Killed after this long; sized for a loaded 2-core machine. */
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs a command without blocking the test worker (vitest's RPC keeps flowing), resolves with
 * its stdout, and rejects with its stderr's tail on a non-zero exit. After `timeoutMs` the
 * command and the processes it started are killed, and the error says so.
 */
export function runAsync(cmd: string, args: readonly string[], opts: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the whole group: npm's and pnpm's own children too
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} could not start in ${opts.cwd}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = `${cmd} ${args.join(' ')} (in ${opts.cwd})`;
      if (timedOut) reject(new Error(`${line} was killed after ${opts.timeoutMs / 1000} s\n${stderr.slice(-2000)}`));
      else if (code !== 0) reject(new Error(`${line} failed (${signal ?? `exit ${code}`}):\n${stderr.slice(-3000)}${stdout.slice(-1000)}`));
      else resolve(stdout);
    });
  });
}
