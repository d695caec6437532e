/** Bad command lines: one line on stderr, no stack trace, exit 2. --help everywhere. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorLines, runCli } from './helpers.js';

const usageCases: [string, string[], RegExp][] = [
  ['unknown model', ['train', '--model', 'lenett'], /unknown model 'lenett'.*did you mean lenet/],
  ['unknown flag', ['train', '--epoch', '2'], /unknown option --epoch.*did you mean --epochs/],
  ['--epochs 0', ['train', '--epochs', '0'], /--epochs must be greater than 0/],
  ['--lr abc', ['train', '--lr', 'abc'], /--lr must be a number/],
  ['fractional epochs', ['train', '--epochs', '1.5'], /--epochs must be a whole number/],
  ['unknown backend', ['train', '--backend', 'cuda'], /unknown backend 'cuda'/],
  ['--threads 0', ['train', '--backend', 'wasm', '--threads', '0', '--limit-train', '64', '--limit-test', '64'], /--threads must be a whole number of threads from 1 to 8, got "0"/],
  ['unknown command', ['trian'], /unknown command 'trian'.*did you mean train/],
  ['eval without weights', ['eval', '--model', 'lenet'], /--weights <file> is required/],
  ['predict without images', ['predict', '--model', 'lenet', '--weights', 'x.safetensors'], /at least one PNG or JPEG/],
  ['--epochs -1', ['train', '--epochs', '-1'], /^convnets train: --epochs cannot be negative, got -1; see 'convnets train --help'$/],
  ['--width-ratio on lenet', ['train', '--width-ratio', '2'], /^convnets train: --width-ratio only applies to vgg11 \(it divides VGG's channel counts\); leave it out for lenet$/],
  ['--width-ratio on lenet (eval)', ['eval', '--model', 'lenet', '--width-ratio', '2', '--weights', '/nonexistent/x.safetensors'], /--width-ratio only applies to vgg11/],
  ['--input-size 100000', ['train', '--input-size', '100000'], /^convnets train: --input-size must be at most 512 \(the 28x28 images are resized to it; the book uses 224 at most\), got 100000$/],
  ["--out ''", ['train', '--out', ''], /^convnets train: --out must name a directory, got ''$/],
  ['--out /proc/x', ['train', '--out', '/proc/x'], /^convnets train: --out \/proc\/x is inside \/proc, a virtual file system; pick a directory on disk$/],
  ['--out under a file', ['train', '--out', `${fileURLToPath(import.meta.url)}/run`], /^convnets train: --out .*usage_test\.ts\/run: .*usage_test\.ts is a file, not a directory; pick another --out$/],
  ['--resume with --overwrite', ['train', '--resume', '--overwrite'], /--resume and --overwrite contradict each other/],
];

describe('usage errors exit 2 with one line', () => {
  for (const [name, args, message] of usageCases) {
    it(name, async () => {
      const r = await runCli(args);
      expect(r.code, r.stderr).toBe(2);
      const lines = errorLines(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    });
  }

  it('--verbose adds the stack trace', async () => {
    const r = await runCli(['train', '--model', 'nope', '--verbose']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

describe('--help', () => {
  for (const command of ['train', 'eval', 'predict', 'summary', 'data']) {
    it(`convnets ${command} --help`, async () => {
      const r = await runCli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: convnets ${command}`));
      expect(r.stdout).toMatch(/Examples:\n {2}convnets /);
    });
  }
  it('convnets --help lists the commands', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['train', 'eval', 'predict', 'summary', 'data']) expect(r.stdout).toMatch(new RegExp(`^ {2}${c} `, 'm'));
  });
});
