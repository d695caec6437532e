import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, useBackend } from '../index.js';
import { explainTensorflowFailure, explainTensorflowInstall, probeTensorflowInstall } from './tensorflow_loader.js';

const err = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe('tensorflow (tfjs-node-gpu) failures, one line each', () => {
  it.each([
    [err("Cannot find package '@tensorflow/tfjs-node-gpu' imported from /app/x.js", 'ERR_MODULE_NOT_FOUND'), /is not installed\. On a machine with CUDA/],
    [err("Cannot find module '@tensorflow/tfjs-node-gpu'\nRequire stack:\n- /app/x.js", 'MODULE_NOT_FOUND'), /is not installed\./],
    [err("Cannot find module '@mapbox/node-pre-gyp'\nRequire stack:\n- /n/@tensorflow/tfjs-node-gpu/dist/index.js", 'MODULE_NOT_FOUND'), /installed but its dependency @mapbox\/node-pre-gyp is missing/],
    [err('The Node.js native addon module (tfjs_binding.node) can not be found at path: /n/lib/napi-v8/tfjs_binding.node. \nPlease run command ...'), /native addon \(tfjs_binding\.node\) is missing.*npm rebuild/],
    [err('libcudart.so.11.0: cannot open shared object file: No such file or directory'), /libcudart\.so\.11\.0 cannot be loaded: it needs CUDA 11\.2/],
    [err('libcudnn.so.8: cannot open shared object file: No such file or directory'), /libcudnn\.so\.8 cannot be loaded: it needs cuDNN 8\.1/],
    [err('libtensorflow.so.2: cannot open shared object file: No such file or directory'), /libtensorflow\.so\.2 is missing.*npm rebuild/],
    [err('something odd\n    at foo (x.js:1:1)'), /failed to load: something odd$/],
  ])('%s', (e, expected) => {
    const line = explainTensorflowFailure(e);
    expect(line).toMatch(expected);
    expect(line).not.toContain('\n');
  });

  it('tells a missing package from a package whose install script never ran', () => {
    expect(explainTensorflowInstall({ addons: [], installScriptRan: false })).toMatch(/^@tensorflow\/tfjs-node-gpu is not installed\. /);
    expect(explainTensorflowInstall({ dir: '/n', addons: [], installScriptRan: false })).toMatch(/is not installed: only its JavaScript is present \(\/n\); its install script.*never ran/);
    expect(explainTensorflowInstall({ dir: '/n', addons: [], installScriptRan: true })).toMatch(/installed but its native addon .* is missing/);
    expect(explainTensorflowInstall({ dir: '/n', addons: ['/n/lib/napi-v8/tfjs_binding.node'], installScriptRan: true })).toBeUndefined();
  });

  it("useBackend('tensorflow') here: a one-line BackendUnavailableError saying it is not installed", async () => {
    const install = probeTensorflowInstall();
    expect(install.addons, 'this test expects a machine without libtensorflow').toEqual([]);
    const e = await useBackend('tensorflow').then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(BackendUnavailableError);
    const message = (e as Error).message;
    expect(message).toMatch(/^tensorflow backend unavailable: @tensorflow\/tfjs-node-gpu is not installed/);
    expect(message).not.toContain('\n');
    expect(message).not.toMatch(/\n\s+at /);
  });

  it("'auto' moves on past it", async () => {
    const info = await useBackend('auto');
    expect(info.name).not.toBe('tensorflow');
    expect(info.skipped[0]).toMatchObject({ name: 'tensorflow' });
  });

  it('says what kind of skip it was, so a CLI need not read the reason: not installed, as on any machine without CUDA', async () => {
    const e = (await useBackend('tensorflow').then(() => undefined, (x: unknown) => x)) as BackendUnavailableError;
    expect(e.kind).toEqual({ summary: 'tfjs-node-gpu is not installed', noGpu: true });
    const info = await useBackend('auto');
    expect(info.skipped[0]).toMatchObject({ name: 'tensorflow', summary: 'tfjs-node-gpu is not installed', noGpu: true, reason: e.reason });
  });
});
