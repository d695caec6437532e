import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const PACKAGES = ['core', 'layers', 'models'] as const;
const TFJS = '4.22.0';

/** The first ```js block of a README: the example a user would paste. */
function readmeExample(pkg: string): string {
  const text = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8');
  const match = /```js\n([\s\S]*?)```/.exec(text);
  if (!match) throw new Error(`packages/${pkg}/README.md has no \`\`\`js example`);
  return match[1];
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
}

describe('packages install alone from their tarballs', () => {
  let project: string;

  beforeAll(() => {
    const tarballs = mkdtempSync(join(tmpdir(), 'convnets-tarballs-'));
    for (const pkg of PACKAGES) run('pnpm', ['pack', '--pack-destination', tarballs], join(root, 'packages', pkg));
    project = mkdtempSync(join(tmpdir(), 'convnets-user-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
    const files = readdirSync(tarballs).map((f) => join(tarballs, f));
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files, `@tensorflow/tfjs-core@${TFJS}`, `@tensorflow/tfjs-backend-cpu@${TFJS}`], project);
  });

  it('packs no workspace-only references', () => {
    for (const pkg of PACKAGES) {
      const manifest = readFileSync(join(project, 'node_modules', '@convnets', pkg, 'package.json'), 'utf8');
      expect(manifest).not.toContain('workspace:');
    }
  });

  it('installs nothing web-only or Node-GPU-only', () => {
    const installed = readdirSync(join(project, 'node_modules', '@tensorflow'));
    expect(installed.sort()).toEqual(['tfjs-backend-cpu', 'tfjs-core']);
  });

  for (const pkg of PACKAGES) {
    it(`runs the ${pkg} README example in plain Node`, () => {
      const file = join(project, `${pkg}-example.mjs`);
      writeFileSync(file, readmeExample(pkg));
      const out = run('node', [file], project);
      expect(out.trim().length).toBeGreaterThan(0);
    });

    it(`passes publint: ${pkg}`, async () => {
      const { messages } = await publint({ pkgDir: join(root, 'packages', pkg), strict: true });
      expect(messages.filter((m) => m.type !== 'suggestion')).toEqual([]);
    });
  }
});
