/**
 * Mis-named and mis-shaped weight files are refused in both directions, with a message that
 * names the tensor: our loader on a PyTorch file, and PyTorch's load_state_dict(strict=True)
 * (check.py) on ours.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors, Rng, saveWeights, type TensorEntry } from '@convnets/core';
import { useBackend } from '@convnets/backends';
import { loadWeightsFile } from '@convnets/core/node';
import { createModel } from '@convnets/models';
import { readSafetensorsFile, runCheck, runCheckRaw, tempDir, titled, TORCH } from './helpers.js';

type Edit = (t: Record<string, TensorEntry>) => Record<string, TensorEntry>;

const rename =
  (from: string, to: string): Edit =>
  (t) => {
    const out = { ...t, [to]: t[from] };
    delete out[from];
    return out;
  };

/** The same values under a wrong shape (e.g. a Linear weight saved as [in, out], tfjs's layout). */
const reshape =
  (name: string, shape: number[]): Edit =>
  (t) => ({ ...t, [name]: { ...t[name], shape } });

/** `name` as a whole tensor name: not part of a longer one ('3.weight' must not match '3.weights'). */
function namePattern(name: string): RegExp {
  return new RegExp(`(^|[^\\w.])${name.replace(/\./g, '\\.')}(?=[^\\w.]|\\.(\\s|$)|$)`);
}

const CASES: { what: string; edit: Edit; names: string[] }[] = [
  { what: 'a renamed tensor', edit: rename('3.weight', '3.weights'), names: ['3.weight', '3.weights'] },
  { what: 'a Linear weight in [in, out] order', edit: reshape('7.weight', [400, 120]), names: ['7.weight'] },
  { what: 'a conv weight in tfjs [kh, kw, in, out] order', edit: reshape('0.weight', [5, 5, 1, 6]), names: ['0.weight'] },
  { what: 'a missing tensor', edit: (t) => Object.fromEntries(Object.entries(t).filter(([k]) => k !== '11.bias')), names: ['11.bias'] },
];

describe.skipIf(!TORCH.ok)(titled('mis-shaped or mis-named weight files are refused, naming the tensor'), () => {
  const tmp = tempDir('refusals');
  let torchFile: Record<string, TensorEntry>;
  let ourFile: Record<string, TensorEntry>;

  beforeAll(async () => {
    await useBackend('cpu');
    const path = join(tmp.dir, 'torch-lenet.safetensors');
    await runCheck(['init', '--model', 'lenet', '--seed', '0', '--out', path]);
    torchFile = readSafetensorsFile(path);
    const net = createModel('lenet', { rng: new Rng(0) });
    const ours = join(tmp.dir, 'ours-lenet.safetensors');
    writeFileSync(ours, await saveWeights(net));
    net.dispose();
    ourFile = readSafetensorsFile(ours);
  });

  afterAll(() => tmp.cleanup());

  it('the unedited files load on both sides (the refusals below are about the edits)', async () => {
    const net = createModel('lenet', { rng: new Rng(1) });
    try {
      await loadWeightsFile(net, join(tmp.dir, 'torch-lenet.safetensors'));
    } finally {
      net.dispose();
    }
    const r = await runCheckRaw(['eval', '--model', 'lenet', '--weights', join(tmp.dir, 'ours-lenet.safetensors'), '--batch-size', '10000']);
    expect(r.code, r.stderr).toBe(0);
  });

  CASES.forEach(({ what, edit, names }, i) => {
    it(`our loader refuses PyTorch's file with ${what}`, async () => {
      const path = join(tmp.dir, `torch-edited-${i}.safetensors`);
      writeFileSync(path, encodeSafetensors(edit(torchFile)));
      const net = createModel('lenet', { rng: new Rng(2) });
      try {
        const err = await loadWeightsFile(net, path).then(
          () => null,
          (e: unknown) => e as Error,
        );
        expect(err, 'loadWeightsFile accepted the edited file').not.toBeNull();
        for (const n of names) expect(err?.message).toMatch(namePattern(n));
        expect(err?.message).toContain(path);
      } finally {
        net.dispose();
      }
    });

    it(`check.py (load_state_dict strict) refuses our file with ${what}`, async () => {
      const path = join(tmp.dir, `ours-edited-${i}.safetensors`);
      writeFileSync(path, encodeSafetensors(edit(ourFile)));
      const r = await runCheckRaw(['eval', '--model', 'lenet', '--weights', path]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      for (const n of names) expect(r.stderr).toMatch(namePattern(n));
    });
  });
});
