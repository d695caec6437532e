/**
 * interop/test_interop.py (the Python side's own tests: seed_nets, check.py, safetensors_np)
 * run by /usr/bin/python3 -m unittest. From vitest rather than the test script, so it waits for
 * PyTorch like the other suites, is killed on a timeout, and its output (a KeyboardInterrupt
 * traceback when turbo stops the task) shows only when it fails.
 */
import { describe, expect, it } from 'vitest';
import { INTEROP_DIR, PYTHON, runProcess, titled, TORCH } from './helpers.js';

describe.skipIf(!TORCH.ok)(titled('the Python self-tests (python3 -m unittest test_interop.py)'), () => {
  it('pass', async () => {
    const r = await runProcess(PYTHON, ['-m', 'unittest', 'test_interop.py'], { cwd: INTEROP_DIR, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    expect(r.code, r.stderr.slice(-4000)).toBe(0);
    expect(r.stderr).toMatch(/^Ran [1-9]\d* tests? in /m);
    expect(r.stderr).toMatch(/^OK$/m);
  });
});
