/** The progress bar on a real (pseudo) terminal 80 columns wide: it fits, and its loss is the current epoch's. */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { APP_DIR, cliEnv, DATA_DIR, tempDir } from './helpers.js';

// util-linux's script(1) gives the CLI a pseudo-terminal; stty sets its width.
const hasScript = spawnSync('script', ['--version']).status === 0;

it.skipIf(!hasScript)('the bar fits 80 columns, and each epoch starts with no loss until its own arrives', async () => {
  const out = join(tempDir('tty'), 'run');
  const cli = ['node', '--conditions=@convnets/source', '--import', 'tsx', 'src/cli.ts', 'train', '--epochs', '2', '--limit-train', '640', '--batch-size', '32', '--limit-test', '100', '--backend', 'wasm', '--data-dir', DATA_DIR, '--out', out];
  const text = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const env = cliEnv({ CI: undefined, TERM: 'xterm' });
    const child = spawn('script', ['-q', '-e', '-c', `stty cols 80 rows 24; ${cli.join(' ')}`, '/dev/null'], { cwd: APP_DIR, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
  expect(text.code, text.output).toBe(0);
  // What the terminal shows: every redraw (after \r) and every line, without escape sequences.
  // cli-progress redraws by moving the cursor to column 1 (ESC [1G).
  const frames = text.output
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[1G/g, '\r')
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b(\[[0-9;?]*[A-Za-z]|[78])/g, '')
    .split(/\r\n|\r|\n/)
    .filter((f) => f.trim() !== '');
  const bars = frames.filter((f) => /^epoch \d\/2 \|/.test(f));
  expect(bars.length).toBeGreaterThan(2);
  for (const f of frames) expect(f.length, f).toBeLessThanOrEqual(80);
  for (const epoch of [1, 2]) {
    const mine = bars.filter((f) => f.startsWith(`epoch ${epoch}/2 `));
    expect(mine[0]).toMatch(/\| loss - \|/);
    // Before the first read of the epoch (after step 5) nothing is shown, whatever the last epoch ended with.
    for (const f of mine.filter((m) => Number(/\| (\d+)\/20 \|/.exec(m)![1]) < 5)) expect(f).toMatch(/\| loss - \|/);
    expect(mine.some((f) => /\| loss \d\.\d{4} \|/.test(f))).toBe(true);
  }
  expect(frames.some((f) => f.startsWith('epoch 2, loss '))).toBe(true);
}, 240_000);
