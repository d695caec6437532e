import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from './adam.js';
import { Sgd } from './sgd.js';
import type { NamedVariable } from './optimizer.js';

const P0 = [0.5, -1.0, 2.0, 0.25];
const GRADS = [
  [0.1, -0.2, 0.3, 0.05],
  [-0.4, 0.2, 0.1, 0.0],
  [1.0, 1.0, -1.0, 0.5],
];

function run(make: (vars: NamedVariable[]) => Adam | Sgd, lr: number): number[] {
  const v = tf.tidy(() => tf.variable(tf.tensor2d(P0, [2, 2])));
  const opt = make([{ name: 'w', variable: v }]);
  for (const g of GRADS) {
    const gt = tf.tensor2d(g, [2, 2]);
    opt.apply([gt], lr);
    gt.dispose();
  }
  const out = Array.from(v.dataSync());
  opt.dispose();
  v.dispose();
  return out;
}

/** torch.optim.Adam's update, in float64. */
function torchAdam(lr: number, wd = 0, b1 = 0.9, b2 = 0.999, eps = 1e-8): number[] {
  const p = [...P0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  GRADS.forEach((grad, t0) => {
    const t = t0 + 1;
    for (let i = 0; i < p.length; i++) {
      const g = grad[i] + wd * p[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const denom = Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps;
      p[i] -= (lr / (1 - b1 ** t)) * (m[i] / denom);
    }
  });
  return p;
}

/** torch.optim.SGD's update (dampening 0, no Nesterov), in float64. */
function torchSgd(lr: number, momentum: number, wd: number): number[] {
  const p = [...P0];
  const buf: number[] = [];
  GRADS.forEach((grad, t) => {
    for (let i = 0; i < p.length; i++) {
      let g = grad[i] + wd * p[i];
      if (momentum > 0) {
        buf[i] = t === 0 ? g : momentum * buf[i] + g;
        g = buf[i];
      }
      p[i] -= lr * g;
    }
  });
  return p;
}

function expectClose(a: number[], b: number[], digits = 6): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => expect(x).toBeCloseTo(b[i], digits));
}

describe('optimizers match PyTorch formulas', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('Adam (betas .9/.999, eps 1e-8, bias correction) over 3 steps', () => {
    const before = tf.memory().numTensors;
    expectClose(run((vars) => new Adam(vars), 0.01), torchAdam(0.01));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('Adam with weight decay added to the gradient', () => {
    expectClose(run((vars) => new Adam(vars, { weightDecay: 0.1 }), 0.01), torchAdam(0.01, 0.1));
  });

  it('Adam differs from tf.train.adam where torch does (epsilon after bias correction)', () => {
    // With tiny gradients the two formulas part ways; ours must stay on torch's.
    const ours = run((vars) => new Adam(vars, { eps: 1e-3 }), 0.01);
    expectClose(ours, torchAdam(0.01, 0, 0.9, 0.999, 1e-3));
  });

  it('SGD with momentum and weight decay over 3 steps', () => {
    expectClose(run((vars) => new Sgd(vars, { momentum: 0.9, weightDecay: 0.01 }), 0.1), torchSgd(0.1, 0.9, 0.01));
  });

  it('plain SGD', () => {
    expectClose(run((vars) => new Sgd(vars), 0.5), torchSgd(0.5, 0, 0));
  });

  it('state round-trips: 1 step, save, restore into a fresh optimizer, 2 steps = 3 steps', async () => {
    const v = tf.tidy(() => tf.variable(tf.tensor2d(P0, [2, 2])));
    const vars = [{ name: 'w', variable: v }];
    const a = new Adam(vars);
    const g0 = tf.tensor2d(GRADS[0], [2, 2]);
    a.apply([g0], 0.01);
    const state = await a.getState();
    a.dispose();
    expect(state.step).toBe(1);
    expect(Object.keys(state.tensors).sort()).toEqual(['w.exp_avg', 'w.exp_avg_sq']);
    const b = new Adam(vars);
    b.setState(state);
    for (const g of GRADS.slice(1)) {
      const gt = tf.tensor2d(g, [2, 2]);
      b.apply([gt], 0.01);
      gt.dispose();
    }
    expectClose(Array.from(v.dataSync()), torchAdam(0.01));
    expect(() => new Sgd(vars).setState(state)).toThrow(/adam/);
    tf.dispose([g0, v]);
    b.dispose();
  });

  it('rejects bad hyper-parameters with a clear message', () => {
    expect(() => new Sgd([], { momentum: 1.5 })).toThrow(/momentum must be in \[0, 1\)/);
    expect(() => new Adam([], { beta1: 1 })).toThrow(/beta1/);
  });

  it("Adam's update holds a few temporaries of a parameter's size at a time, and none after", async () => {
    const size = 1 << 20; // 4 MiB of float32: large against everything else alive
    const vars = [0, 1].map((k) => ({ name: `w${k}`, variable: tf.variable(tf.randomUniform([size], -1, 1, 'float32', k)) }));
    const opt = new Adam(vars, { weightDecay: 0.01 });
    const grads = vars.map((_, k) => tf.randomUniform([size], -1, 1, 'float32', 10 + k));
    opt.apply(grads, 1e-3); // the first step runs outside the profile
    const before = tf.memory();
    const info = await tf.profile(() => opt.apply(grads, 1e-3));
    // Measured: 7 parameter-sized buffers above the resting state (30 when one tidy held both
    // parameters' temporaries until the end).
    expect((info.peakBytes - before.numBytes) / (4 * size)).toBeLessThanOrEqual(8);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    tf.dispose(grads);
    opt.dispose();
    for (const v of vars) v.variable.dispose();
  });

  it('Adam on wasm (one SIMD pass per parameter) gives the bits of the op path on cpu, weight decay and odd sizes included', async () => {
    const sizes = [1, 7, 4096 + 3];
    const trainOn = async (backend: 'cpu' | 'wasm', weightDecay: number): Promise<number[][]> => {
      await useBackend(backend);
      const vars = sizes.map((n, k) => ({ name: `w${k}`, variable: tf.tidy(() => tf.variable(tf.randomUniform([n], -1, 1, 'float32', k))) }));
      const opt = new Adam(vars, { weightDecay });
      const before = tf.memory().numTensors;
      for (let t = 0; t < 3; t++) {
        const grads = sizes.map((n, k) => tf.randomUniform([n], -1, 1, 'float32', 100 * t + k));
        opt.apply(grads, 1e-2);
        tf.dispose(grads);
        expect(tf.memory().numTensors).toBe(before);
      }
      const out = [...vars.map((v) => Array.from(v.variable.dataSync())), ...opt.slotVariables().map((s) => Array.from(s.dataSync()))];
      opt.dispose();
      for (const v of vars) v.variable.dispose();
      return out;
    };
    try {
      for (const wd of [0, 0.01]) {
        const cpu = await trainOn('cpu', wd);
        const wasm = await trainOn('wasm', wd);
        expect(wasm).toEqual(cpu);
        expect(cpu[0]).not.toEqual(await trainOn('cpu', wd + 0.5)); // the comparison can tell runs apart
      }
    } finally {
      await useBackend('cpu');
    }
  });
});
