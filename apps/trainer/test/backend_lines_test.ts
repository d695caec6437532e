/** What the CLI says about backends: quiet for the expected skips, the whole story under --verbose, and failures that offer the right alternatives. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DIR, errorLines, overlong, runCli, tempDir } from './helpers.js';

const TERMINAL = { COLUMNS: '80' };
const TINY = ['--epochs', '1', '--limit-train', '64', '--limit-test', '64', '--batch-size', '64', '--data-dir', DATA_DIR];

describe.concurrent('backend lines', () => {
  it('--verbose: a short line per skipped backend, then its whole reason, wrapped at words within 80 columns', async () => {
    const r = await runCli(['train', ...TINY, '--out', join(tempDir('verbose'), 'run'), '--verbose'], TERMINAL);
    expect(r.code, r.stderr).toBe(0);
    // This machine has no tfjs-node-gpu and no hardware GPU: the two skips every CPU machine has.
    expect(r.stdout).toMatch(/^auto skipped tensorflow: tfjs-node-gpu is not installed$/m);
    expect(r.stdout).toMatch(/^auto skipped webgpu: (no GPU adapter|only a software GPU adapter)$/m);
    const reason = /^auto skipped tensorflow: .*\n((?: {2}.*\n)+)/m.exec(r.stdout)![1]!;
    expect(reason.replace(/\n +/g, ' ').trim()).toBe(
      '@tensorflow/tfjs-node-gpu is not installed. On a machine with CUDA 11.2 and cuDNN 8.1: npm install @tensorflow/tfjs-node-gpu@4.22.0 with install scripts allowed and network access',
    );
    expect(r.stdout).toMatch(/^preset: ReLU \+ max-pool LeNet/m);
    expect(overlong(r.stdout)).toEqual([]);
  });

  it('a backend that cannot start offers the others, not itself', async () => {
    const r = await runCli(['train', ...TINY, '--backend', 'tensorflow', '--out', join(tempDir('tf'), 'run')], TERMINAL);
    expect(r.code).toBe(1);
    const message = errorLines(r.stderr).join('\n').replace(/\n +/g, ' ');
    expect(message).toMatch(/^convnets train: error: tensorflow backend unavailable: @tensorflow\/tfjs-node-gpu is not installed\. .*\. Pick another with --backend \(auto, webgpu, wasm, cpu\)$/);
    expect(overlong(r.stderr)).toEqual([]);
  });

  it('webgl needs a browser: the error says so and lists the backends that run here', async () => {
    const r = await runCli(['train', ...TINY, '--backend', 'webgl', '--out', join(tempDir('gl'), 'run')]);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([
      'convnets train: error: webgl backend unavailable: no canvas here (WebGL needs a browser). Pick another with --backend (auto, tensorflow, webgpu, wasm, cpu)',
    ]);
  });
});
