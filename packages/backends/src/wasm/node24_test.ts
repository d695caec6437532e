import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { recordMissing, runCommand } from '@convnets/vitest-config/system';

// The relaxed-SIMD tests again on Node 24, where relaxed SIMD is on by default (this process may
// be Node 20, where useBackend turns on its V8 flag). Node 24 comes from the npm registry:
// `pnpm --filter @convnets/backends fetch:node24`, or CONVNETS_NODE24=/path/to/node.
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const pkg = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
const node24 = process.env.CONVNETS_NODE24 || join(packageDir, 'node_modules/.node24/node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
const found = existsSync(node24);
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const FILES = ['src/wasm/simd_build_test.ts', 'src/wasm/simd_builds_vs_cpu_test.ts', 'src/wasm/conv_gemm_test.ts', 'src/wasm/conv_narrow_test.ts', 'src/wasm/filter_grad_gemm_test.ts', 'src/wasm/filter_grad_single_channel_test.ts'];

describe('on Node 24', () => {
  // .ci/run fetches Node 24, so in CI its absence is a failure, never a silent pass; elsewhere the
  // run's summary lists the skip with the command that fetches it.
  if (!found) recordMissing('node24', import.meta.url, `no Node 24 at ${node24}; fetch it: pnpm --filter @convnets/backends fetch:node24 (or set CONVNETS_NODE24)`);

  it.skipIf(!found)('both builds of the hand-written kernels pass their tests against the cpu kernels, relaxed SIMD on by default', async () => {
    const version = (await runCommand(node24, ['--version'], { timeoutMs: 60_000 })).stdout.trim();
    expect(version).toMatch(/^v24\./);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
    const run = await runCommand(node24, [vitest, 'run', '--reporter=verbose', ...FILES], { cwd: packageDir, env, timeoutMs: 15 * 60_000 });
    const out = `${run.stdout}\n${run.stderr}`;
    expect(run.timedOut, 'Node 24 vitest ran past 15 minutes').toBe(false);
    expect(run.code, out.slice(-4000)).toBe(0);
    expect(out).toMatch(/relaxed-simd build/);
    expect(out).not.toMatch(/skipped/);
  }, 16 * 60_000);
});
