/**
 * convnets-vitest (each package's `test` script) and the preset's runner, on fixture packages
 * run as real vitest processes.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand, SUMMARY_FILE } from '../system.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const WRAPPER = fileURLToPath(new URL('../bin/convnets-vitest.js', import.meta.url));

function wrapper(fixture: string, env: Record<string, string> = {}) {
  const clean = { ...process.env, CI: '', CONVNETS_REQUIRE_ALL: '', ...env };
  return runCommand(process.execPath, [WRAPPER], { cwd: join(FIXTURES, fixture), env: clean, timeoutMs: 600_000 });
}

afterAll(() => {
  for (const f of ['blocking', 'skipping', 'no-report']) rmSync(join(FIXTURES, f, 'test-results'), { recursive: true, force: true });
});

describe('convnets-vitest', () => {
  it('records a suite skipped for a missing part, and fails it under CI=true naming the package', async () => {
    const missing = { CHROMIUM_PATH: join(FIXTURES, 'no-such-chromium') };
    const lax = await wrapper('skipping', missing);
    expect(lax.code, lax.stdout + lax.stderr).toBe(0);
    expect(lax.stdout).toContain('fixture-skipping: vitest finished: 1 files, 1 tests passed, 1 skipped; 1 suite(s) skipped for a missing system part');
    const summary = JSON.parse(readFileSync(join(FIXTURES, 'skipping', SUMMARY_FILE), 'utf8'));
    expect(summary.skipped).toEqual([expect.objectContaining({ package: 'fixture-skipping', suite: 'needs_chromium_fixture.ts', part: 'chromium' })]);

    const strict = await wrapper('skipping', { ...missing, CI: 'true' });
    expect(strict.code).not.toBe(0);
    expect(strict.stdout + strict.stderr).toContain('fixture-skipping needs_chromium_fixture.ts needs chromium');
    expect(strict.stdout + strict.stderr).toContain('install: sudo apt-get install -y chromium');
    expect(existsSync(join(FIXTURES, 'skipping', SUMMARY_FILE))).toBe(false);
  });

  it('fails a vitest run that exits 0 without its report', async () => {
    const r = await wrapper('no-report');
    expect(r.stdout).toContain('1 passed');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('fixture-no-report: vitest exited 0 but wrote no report (test-results/vitest.json)');
  });
});

describe("the preset's runner", () => {
  it('lets a test hold the event loop past the 60 s RPC deadline; vitest alone fails the run', async () => {
    const [patient, stock] = await Promise.all([wrapper('blocking'), wrapper('blocking', { NO_PATIENT_RUNNER: '1' })]);
    expect(stock.code).not.toBe(0);
    expect(stock.stdout + stock.stderr).toContain('[vitest-worker]: Timeout calling "onTaskUpdate"');
    expect(patient.code, patient.stdout + patient.stderr).toBe(0);
    expect(patient.stdout + patient.stderr).not.toContain('Timeout calling');
    expect(patient.stdout).toContain('3 tests passed');
  });
});
