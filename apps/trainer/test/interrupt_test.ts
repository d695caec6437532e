/** Ctrl-C: finish the step, checkpoint, exit 130; --resume completes the run with every epoch once. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DATA_DIR, overlong, PNPM_SCRIPT_ENV, runCli, startCli, tempDir, waitForStdout } from './helpers.js';

it('SIGINT after epoch 1 exits 130; --resume finishes epochs 1..N exactly once', async () => {
  const out = join(tempDir('sigint'), 'run');
  const args = ['train', '--epochs', '4', '--limit-train', '6000', '--limit-test', '500', '--batch-size', '64', '--backend', 'wasm', '--data-dir', DATA_DIR, '--out', out];
  // From a checkout (pnpm convnets) at an 80-column terminal.
  const running = startCli(args, { ...PNPM_SCRIPT_ENV, COLUMNS: '80' });
  await waitForStdout(running, /^epoch 1, /m, 1_200_000);
  running.child.kill('SIGINT');
  const stopped = await running.done;
  expect(stopped.code, stopped.stderr).toBe(130);
  // Stopped in the second epoch: numbered from 1, as the progress lines number it.
  const stderr = stopped.stderr.replace(/\n {4}(?! )/g, ' ');
  const at = /^interrupted at epoch (\d+), step (\d+); checkpoint saved in (\S+)$/m.exec(stderr);
  expect(at, stopped.stderr).not.toBeNull();
  expect(at![1]).toBe('2');
  expect(at![3]).toBe(out);
  const lastShown = stopped.stderr.split('\n').filter((l) => /^epoch \d\/4 step /.test(l)).at(-1)!;
  if (Number(at![2]) > 0) expect(lastShown).toMatch(/^epoch 2\/4 step /);
  // The command to continue, as invoked, broken with shell continuations to fit 80 columns.
  const hint = /^continue with:\n((?: {2}.*\n)+)/m.exec(stopped.stderr)![1]!;
  expect(hint.replace(/ \\\n +/g, ' ').trim()).toBe(`pnpm convnets ${args.join(' ')} --resume`);
  expect(overlong(stopped.stderr)).toEqual([]);
  const before = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n');
  expect(before.length).toBeLessThan(4);

  const resumed = await runCli([...args, '--resume']);
  expect(resumed.code, resumed.stderr).toBe(0);
  const epochs = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { epoch: number }).epoch);
  expect(epochs).toEqual([1, 2, 3, 4]);
  // The resumed run prints only the epochs it ran.
  const printed = resumed.stdout.split('\n').filter((l) => /^epoch \d+, /.test(l)).map((l) => Number(/^epoch (\d+)/.exec(l)![1]));
  expect(printed.length).toBeGreaterThan(0);
  expect(printed.at(-1)).toBe(4);
  expect(printed[0]).toBeGreaterThan(1);
}, 1_800_000); // a hang guard: the two CLI runs took over 10 minutes at load average 45 on 2 cores
