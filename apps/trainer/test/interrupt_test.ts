/** Ctrl-C: finish the step, checkpoint, exit 130; --resume completes the run with every epoch once. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DATA_DIR, runCli, startCli, tempDir, waitForStdout } from './helpers.js';

it('SIGINT after epoch 1 exits 130; --resume finishes epochs 1..N exactly once', async () => {
  const out = join(tempDir('sigint'), 'run');
  const args = ['train', '--epochs', '4', '--limit-train', '6000', '--limit-test', '500', '--batch-size', '64', '--backend', 'wasm', '--data-dir', DATA_DIR, '--out', out];
  const running = startCli(args);
  await waitForStdout(running, /^epoch 1, /m, 1_200_000);
  running.child.kill('SIGINT');
  const stopped = await running.done;
  expect(stopped.code, stopped.stderr).toBe(130);
  expect(stopped.stderr).toMatch(/checkpoint saved/);
  expect(stopped.stderr).toMatch(/--resume/);
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
