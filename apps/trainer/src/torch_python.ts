/**
 * The Python that `convnets export` checks a PyTorch project with: found, asked whether it can
 * import torch, and asked to build the seed's module for a run config (interop's
 * torchrun/convnets_model.py), so that every refusal comes before anything is written.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { CliError, oneLine } from './errors.js';

/** interop/: the seed's modules and the torchrun template files (a workspace package). */
export const INTEROP_DIR = dirname(createRequire(import.meta.url).resolve('@convnets/interop/package.json'));

export interface TorchModule {
  python: string;
  torch: string;
  gloo: boolean;
  cuda: boolean;
  /** Python's version as [major, minor]. */
  python_version: [number, number];
  params: number;
  /** state_dict names and shapes, in the module's order. */
  state: [string, number[]][];
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

function runPython(python: string, args: string[], input: string): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(python, args, {
      env: { ...process.env, PYTHONPATH: [INTEROP_DIR, process.env.PYTHONPATH].filter(Boolean).join(delimiter), PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error) => resolve({ code: null, stdout, stderr, error }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** The interpreter `torchrun` on PATH runs under (its #! line), if there is one. */
function torchrunPython(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      const first = readFileSync(join(dir, 'torchrun'), 'utf8').split('\n', 1)[0];
      const m = /^#!\s*(\S*python[\w.]*)\s*$/.exec(first);
      if (m) return m[1];
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

const DESCRIBE = join(INTEROP_DIR, 'torchrun', 'convnets_model.py');

async function describeWith(python: string, config: unknown): Promise<{ ok: TorchModule } | { noTorch: string } | { bad: string }> {
  const r = await runPython(python, [DESCRIBE, 'describe'], JSON.stringify(config));
  const lastLine = oneLine(r.stderr.trim().split('\n').slice(-1)[0] ?? '');
  if (r.error) return { noTorch: `cannot run ${python} (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` };
  if (r.code === 3) return { noTorch: `${python}: ${lastLine}` };
  if (r.code === 2) return { bad: lastLine };
  if (r.code !== 0) return { noTorch: `${python} exited ${r.code}: ${lastLine}` };
  return { ok: { ...(JSON.parse(r.stdout) as Omit<TorchModule, 'python'>), python } };
}

/**
 * Builds the seed's PyTorch module for `config` with `python` (or, unset: python3, then the
 * interpreter of `torchrun` on PATH) and returns its state_dict shapes. No torch, or a config
 * with no seed module, is a one-line CliError.
 */
export async function describeTorchModule(config: unknown, python: string | undefined): Promise<TorchModule> {
  const candidates = python ? [python] : [...new Set(['python3', torchrunPython()].filter((p): p is string => !!p))];
  const tried: string[] = [];
  for (const candidate of candidates) {
    const r = await describeWith(candidate, config);
    if ('ok' in r) return r.ok;
    if ('bad' in r) throw new CliError(`cannot export: ${r.bad}`);
    tried.push(r.noTorch);
  }
  throw new CliError(
    `PyTorch is not importable (${tried.join('; ')}); install it (apt-get install python3-torch, or pip install torch) or pass --python <interpreter with torch>`,
  );
}
