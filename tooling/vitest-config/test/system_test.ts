import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installCommand, PARTS, REPO_ROOT, requireAll, requireSystem, SKIPPED_DIR, systemPackages } from '../system.js';

const tmp = mkdtempSync(join(tmpdir(), 'convnets-system-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('tooling/system-packages.txt', () => {
  const rows = systemPackages();

  it('names a package for every part the suites ask for, and how apt installs it', () => {
    for (const part of PARTS) expect(rows.filter((r) => r.part === part).length, part).toBeGreaterThan(0);
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['chromium', 'libegl1', 'libegl-mesa0', 'libgles2', 'libgl1-mesa-dri', 'libopenblas0-pthread', 'python3-torch', 'python3-numpy', 'dataset-fashion-mnist']));
    expect(rows.filter((r) => r.noRecommends).map((r) => r.name)).toEqual(['python3-torch', 'python3-numpy']);
  });

  it('is the one command the README shows, and what .ci/run installs', () => {
    const cmd = installCommand(rows);
    expect(cmd).toMatch(/^sudo apt-get install -y dataset-fashion-mnist chromium .* && sudo apt-get install -y --no-install-recommends python3-torch python3-numpy$/);
    expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).toContain(`\n${cmd}\n`);
    // .ci/run names the same packages, each array installed the same way.
    const ciRun = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
    const code = ciRun.replace(/\s#\s.*$/gm, ''); // comments out (they may hold parentheses)
    const array = (name: string) => (new RegExp(`^${name}=\\(([^)]*)\\)`, 'm').exec(code)?.[1] ?? '').split(/\s+/).filter(Boolean);
    expect(array('apt_packages')).toEqual(rows.filter((r) => !r.noRecommends).map((r) => r.name));
    expect(array('torch_packages')).toEqual(rows.filter((r) => r.noRecommends).map((r) => r.name));
    expect(ciRun).toMatch(/apt-get install -y -qq --no-install-recommends "\$\{missing_lean\[@\]\}"/);
  });

  it('refuses a malformed line, naming the file and line', () => {
    const file = join(tmp, 'bad.txt');
    writeFileSync(file, '# ok\nchromium default chromium\npython3-torch sometimes torch\n');
    expect(() => systemPackages(file)).toThrow(`${file}:3: expected "package default|no-recommends part", got "python3-torch sometimes torch"`);
  });
});

describe('requireSystem', () => {
  const pkgDir = join(tmp, 'pkg');
  writeFileSync(join(tmp, 'package.json'), '{}');
  const missing = { CHROMIUM_PATH: join(tmp, 'no-chromium') };

  it('skips without the part, leaving one line that names the install command', async () => {
    rmSync(pkgDir, { recursive: true, force: true });
    await import('node:fs').then((fs) => fs.mkdirSync(pkgDir, { recursive: true }));
    writeFileSync(join(pkgDir, 'package.json'), '{"name":"@convnets/fixture"}');
    const found = await requireSystem('chromium', 'the browser tests', { cwd: pkgDir, env: missing });
    expect(found.ok).toBe(false);
    expect(found.reason).toBe(`${missing.CHROMIUM_PATH} is not an executable file; install: sudo apt-get install -y chromium`);
    const files = readdirSync(join(pkgDir, SKIPPED_DIR));
    expect(files).toEqual(['the_browser_tests.txt']);
    expect(JSON.parse(readFileSync(join(pkgDir, SKIPPED_DIR, files[0]!), 'utf8'))).toEqual({
      package: '@convnets/fixture', suite: 'the browser tests', part: 'chromium', reason: found.reason,
    });
  });

  it('fails instead under CI=true or CONVNETS_REQUIRE_ALL=1, naming the package', async () => {
    for (const strict of [{ CI: 'true' }, { CONVNETS_REQUIRE_ALL: '1' }]) {
      const cwd = join(tmp, `strict-${Object.keys(strict)[0]}`);
      await import('node:fs').then((fs) => fs.mkdirSync(cwd, { recursive: true }));
      await expect(requireSystem('chromium', 'the browser tests', { cwd, env: { ...missing, ...strict } })).rejects.toThrow(/needs chromium: .*install: sudo apt-get install -y chromium/);
      expect(existsSync(join(cwd, SKIPPED_DIR))).toBe(false);
    }
    expect(requireAll({ CI: 'false' })).toBe(false);
    expect(requireAll({ CI: '' })).toBe(false);
  });

  it('says yes to a part that is there, and no to one it does not know', async () => {
    const here = join(tmp, 'fake-chromium');
    writeFileSync(here, '#!/bin/sh\n', { mode: 0o755 });
    expect(await requireSystem('chromium', 'x', { cwd: tmp, env: { CI: 'true', CHROMIUM_PATH: here } })).toMatchObject({ ok: true });
    await expect(requireSystem('firefox' as never, 'x', { cwd: tmp })).rejects.toThrow('unknown part "firefox"');
  });
});
