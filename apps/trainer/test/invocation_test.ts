/** Help and hints print the command as it was invoked: `pnpm convnets …` from a checkout, `convnets …` when installed. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_DIR, cliEnv, errorLines, outputOf, overlong, PNPM_SCRIPT_ENV, runCli } from './helpers.js';

const TERMINAL = { ...PNPM_SCRIPT_ENV, COLUMNS: '80' };

describe.concurrent('--help from a checkout', () => {
  for (const command of ['train', 'eval', 'predict', 'summary', 'data']) {
    it(`pnpm convnets ${command} --help: pnpm in every command line, nothing past 80 columns`, async () => {
      const r = await runCli([command, '--help'], TERMINAL);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^Usage: pnpm convnets ${command} [-[<]`));
      const examples = r.stdout.split('Examples:\n')[1]!.split('\n').filter((l) => /^ {2}\S/.test(l) && !l.startsWith('  #'));
      expect(examples.length).toBeGreaterThan(1);
      for (const l of examples) expect(l).toMatch(/^ {2}pnpm convnets /);
      expect(r.stdout).not.toMatch(/(^|[^m] )convnets (train|eval|predict|summary|data)\b/m);
      expect(overlong(r.stdout)).toEqual([]);
    });
  }

  it('installed (no package-manager script): plain convnets', async () => {
    const r = await runCli(['--help']);
    expect(r.stdout).toMatch(/^Usage: convnets <command> \[options\]$/m);
    expect(r.stdout).toMatch(/^Run 'convnets <command> --help' /m);
    expect(r.stdout).not.toMatch(/pnpm/);
  });

  it('a usage hint names the command as invoked', async () => {
    const r = await runCli(['train', '--epoch', '2'], TERMINAL);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr).join(' ').replace(/ +/g, ' ')).toBe("convnets train: unknown option --epoch (did you mean --epochs?); see 'pnpm convnets train --help'");
    expect(overlong(r.stderr)).toEqual([]);
  });

  it('the real `pnpm convnets --help` from the repository root says pnpm convnets', async () => {
    const r = await outputOf(spawn('pnpm', ['-s', 'convnets', '--help'], { cwd: join(APP_DIR, '..', '..'), env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: pnpm convnets <command> \[options\]$/m);
    expect(r.stdout).toMatch(/^ {2}pnpm convnets train /m);
  });
});
