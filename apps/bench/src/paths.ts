import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (apps/bench/src → ../../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const PYTHON = '/usr/bin/python3';
export const BENCH_TORCH = path.join(REPO_ROOT, 'interop', 'bench_torch.py');
