/**
 * Weights that cross over: for every network of the seed, our model and the seed's own PyTorch
 * module (interop/seed_nets.py, run by check.py) are numerically the same network.
 *
 * - Weights from us: createModel(name, {rng: new Rng(seed)}) → saveWeightsFile → PyTorch's
 *   load_state_dict(strict=True); on one random batch the logits agree within 1e-4 relative and
 *   the gradient of sum(logits·g) for every parameter within 1e-3 relative, in eval mode.
 * - Weights from PyTorch: check.py init (PyTorch's default init) → loadWeightsFile; the logits
 *   agree, and our state_dict gives back PyTorch's tensors bit for bit.
 *
 * The first Linear after every Flatten is loaded as PyTorch saved it (no permutation): agreeing
 * logits prove that our Flatten uses PyTorch's NCHW element order.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors, Rng, stateDict, toTorchLayout, type Module, type TensorData } from '@convnets/core';
import { useBackend } from '@convnets/backends';
import { loadWeightsFile, saveWeightsFile } from '@convnets/core/node';
import { createModel } from '@convnets/models';
import { diff, floats, fmt, readSafetensorsFile, runCheck, tempDir, titled, TORCH } from './helpers.js';
import { SPECS, type ModelSpec } from './specs.js';

/** wasm (XNNPACK + core's training kernels) is ~10x faster than cpu on these backward passes. */
const BACKEND = 'wasm';
const LOGIT_REL = 1e-4;
const LOGIT_ABS = 1e-5;
const GRAD_REL = 1e-3;
const GRAD_ABS = 1e-9;
/**
 * The first layers of the deep networks have gradients that are tiny sums of large terms;
 * there PyTorch's own float32 result can be 2e-3 relative off the exact (float64) value. A
 * parameter past GRAD_REL passes if ours is no farther from PyTorch's float64 gradient than
 * FLOAT32_SLACK times PyTorch's float32 one is, and within GRAD_REL_MAX of it.
 */
const FLOAT32_SLACK = 2;
const GRAD_REL_MAX = 1e-2;

interface Input {
  path: string;
  /** NHWC, as our models take it. */
  x: tf.Tensor4D;
  g: tf.Tensor2D;
}

/** A random batch x ∈ [0,1) (NCHW in the file, NHWC for us) and a random g shaped like the logits. */
function writeInput(dir: string, spec: ModelSpec, seed: number): Input {
  const rng = new Rng(seed);
  const { batch: b, inputSize: s } = spec;
  const xs = Float32Array.from({ length: b * s * s }, () => rng.random());
  const gs = Float32Array.from({ length: b * 10 }, () => rng.normal());
  const path = join(dir, `${spec.torch}-input.safetensors`);
  writeFileSync(
    path,
    encodeSafetensors({
      x: { dtype: 'F32', shape: [b, 1, s, s], data: xs },
      g: { dtype: 'F32', shape: [b, 10], data: gs },
    }),
  );
  const x = tf.tidy(() => tf.transpose(tf.tensor4d(xs, [b, 1, s, s]), [0, 2, 3, 1]) as tf.Tensor4D);
  return { path, x, g: tf.tensor2d(gs, [b, 10]) };
}

/** Our logits and, in PyTorch's layout, the gradient of sum(logits·g) for every named parameter. */
function oursWithGrads(model: Module, x: tf.Tensor4D, g: tf.Tensor2D): { logits: Float32Array; grads: Map<string, Float32Array> } {
  const named = model.namedParameters();
  let logits: tf.Tensor | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const y = model.forward(x);
    logits = tf.keep(y);
    return tf.sum(tf.mul(y, g)) as tf.Scalar;
  }, model.trainableVariables());
  const out = new Map<string, Float32Array>();
  for (const [name, p] of named) {
    const grad = grads[p.variable.name];
    if (!grad) throw new Error(`no gradient for ${name}`);
    const t = toTorchLayout(p.layout, grad);
    out.set(name, t.dataSync() as Float32Array);
    t.dispose();
  }
  const l = (logits as unknown as tf.Tensor).dataSync() as Float32Array;
  tf.dispose([value, logits as unknown as tf.Tensor, ...Object.values(grads)]);
  return { logits: Float32Array.from(l), grads: out };
}

function oursLogits(model: Module, x: tf.Tensor4D): Float32Array {
  const y = tf.tidy(() => model.forward(x));
  const v = y.dataSync() as Float32Array;
  y.dispose();
  return Float32Array.from(v);
}

function bytesOf(data: TensorData): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** What the tests measured, printed at the end (the README's table comes from this). */
const report: string[] = [];

describe.skipIf(!TORCH.ok)(titled(`weights cross over between convnets and PyTorch (${BACKEND})`), () => {
  const tmp = tempDir('crossover');

  beforeAll(async () => {
    await useBackend(BACKEND);
  });

  afterAll(() => {
    tmp.cleanup();
    if (report.length) console.log(`\ninterop cross-check on ${BACKEND} (ours vs PyTorch 1.13 cpu):\n${report.join('\n')}`);
  });

  SPECS.forEach((spec, k) => {
    it(`${spec.torch}: weights from us and from PyTorch give the same logits; every gradient agrees`, async () => {
      const before = tf.memory().numTensors;
      const input = writeInput(tmp.dir, spec, 200 + k);
      const ourWeights = join(tmp.dir, `${spec.torch}-ours.safetensors`);
      const torchWeights = join(tmp.dir, `${spec.torch}-torch-init.safetensors`);
      const gradsOut = join(tmp.dir, `${spec.torch}-torch-grads.safetensors`);
      const logitsOut = join(tmp.dir, `${spec.torch}-torch-logits.safetensors`);
      // PyTorch works in child processes while we compute: its own init (for the second half) ...
      const torchInit = runCheck(['init', '--model', spec.torch, '--seed', String(k), '--out', torchWeights]);
      torchInit.catch(() => undefined);
      const model = createModel(spec.name, { ...spec.options, rng: new Rng(100 + k) });
      let ours: ReturnType<typeof oursWithGrads>;
      let fromTorch: Float32Array;
      let torchGrads: Promise<{ logitsShape: number[] }>;
      let torchLogits: Promise<unknown>;
      const names = model.namedParameters().map(([n]) => n);
      try {
        model.eval();
        // 1. Weights from us: saved, then loaded by PyTorch with load_state_dict(strict=True).
        await saveWeightsFile(model, ourWeights, { model: spec.torch });
        torchGrads = runCheck<{ logitsShape: number[] }>(['forward', '--model', spec.torch, '--weights', ourWeights, '--input', input.path, '--grad', '--out', gradsOut]);
        torchGrads.catch(() => undefined);
        ours = oursWithGrads(model, input.x, input.g);

        // 2. Weights from PyTorch: its default init, loaded into the same network.
        await torchInit;
        torchLogits = runCheck(['forward', '--model', spec.torch, '--weights', torchWeights, '--input', input.path, '--out', logitsOut]);
        torchLogits.catch(() => undefined);
        await loadWeightsFile(model, torchWeights);
        // Bit for bit: what we hold is what PyTorch saved (no layout slip on load or save).
        const file = readSafetensorsFile(torchWeights);
        const back = await stateDict(model);
        expect(Object.keys(back).sort()).toEqual(Object.keys(file).sort());
        for (const [name, t] of Object.entries(back)) {
          expect(t.shape, name).toEqual(file[name].shape);
          expect(bytesOf(t.data).equals(bytesOf(file[name].data)), `${name} differs after loading PyTorch's file and saving it again`).toBe(true);
        }
        fromTorch = oursLogits(model, input.x);
      } finally {
        tf.dispose([input.x, input.g]);
        model.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);

      const torchInfo = await torchGrads;
      expect(torchInfo.logitsShape).toEqual([spec.batch, 10]);
      const theirs = readSafetensorsFile(gradsOut);
      expect(Object.keys(theirs).filter((n) => n.startsWith('grad.')).sort()).toEqual(names.map((n) => `grad.${n}`).sort());

      const logit = diff(ours.logits, floats(theirs.logits, 'logits'), LOGIT_REL, LOGIT_ABS);
      report.push(`${spec.torch.padEnd(10)} ours→torch logits: ${fmt(logit)}`);
      let worst = { name: '', d: diff([0], [0], 0, 0) };
      const past: string[] = [];
      for (const name of names) {
        const d = diff(ours.grads.get(name) as Float32Array, floats(theirs[`grad.${name}`], `grad.${name}`), GRAD_REL, GRAD_ABS);
        if (!d.ok) past.push(name);
        if (d.rel > worst.d.rel || Number.isNaN(d.maxAbs)) worst = { name, d };
      }
      report.push(`${''.padEnd(10)} ours→torch grads:  ${fmt(worst.d)} (worst: ${worst.name})`);
      const bad: string[] = [];
      if (past.length) {
        // Arbiter: PyTorch in float64 on the same weights and input.
        const grads64 = join(tmp.dir, `${spec.torch}-torch-grads64.safetensors`);
        await runCheck(['forward', '--model', spec.torch, '--weights', ourWeights, '--input', input.path, '--grad', '--double', '--out', grads64]);
        const exact = readSafetensorsFile(grads64);
        for (const name of past) {
          const truth = floats(exact[`grad.${name}`], `grad.${name}`);
          const mine = diff(ours.grads.get(name) as Float32Array, truth, GRAD_REL_MAX, GRAD_ABS);
          const torch32 = diff(floats(theirs[`grad.${name}`]), truth, 0, 0);
          const ok = mine.ok && mine.maxAbs <= FLOAT32_SLACK * torch32.maxAbs + GRAD_ABS;
          report.push(`${''.padEnd(10)}   ${name} vs float64: ours rel ${mine.rel.toExponential(2)}, PyTorch float32 rel ${torch32.rel.toExponential(2)}${ok ? '' : '  FAIL'}`);
          if (!ok) bad.push(`${name}: vs float64 ours ${fmt(mine)}; PyTorch float32 ${fmt(torch32)}`);
        }
      }
      await torchLogits;
      const back = diff(fromTorch, floats(readSafetensorsFile(logitsOut).logits, 'logits'), LOGIT_REL, LOGIT_ABS);
      report.push(`${''.padEnd(10)} torch→ours logits: ${fmt(back)}`);

      expect(logit.ok, `logits with our weights: ${fmt(logit)}`).toBe(true);
      expect(bad, `gradients off by more than ${GRAD_REL} relative and less accurate than PyTorch's float32`).toEqual([]);
      expect(back.ok, `logits with PyTorch's weights: ${fmt(back)}`).toBe(true);
    });
  });
});
