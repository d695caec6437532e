import * as tf from '@tensorflow/tfjs-core';
import { type Module, Rng } from '@convnets/core';
import { useBackend } from '@convnets/backends';

/** Selects the cpu backend (call in beforeAll). */
export async function cpu(): Promise<void> {
  await useBackend('cpu');
}

/** A random NHWC tensor from a seeded Rng (uniform in [-1, 1)). */
export function randomTensor(shape: number[], seed = 1): tf.Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.uniform(-1, 1);
  return tf.tensor(v, shape, 'float32');
}

/** Converts NCHW nested values (PyTorch order) to an NHWC tensor. */
export function fromNchw(values: number[], nchw: [number, number, number, number]): tf.Tensor {
  return tf.tidy(() => tf.transpose(tf.tensor(values, nchw), [0, 2, 3, 1]));
}

/** An NHWC tensor's values in NCHW order. */
export function toNchw(x: tf.Tensor): number[] {
  return tf.tidy(() => tf.transpose(x, [0, 3, 1, 2])).arraySync() as unknown as number[];
}

export function flatNchw(x: tf.Tensor): number[] {
  const t = tf.transpose(x, [0, 3, 1, 2]);
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
}

export interface GradCheckResult {
  name: string;
  analytic: number;
  numeric: number;
  relErr: number;
}

/**
 * Central-difference check of directional derivatives of L = Σ forward(x)·g, for the input
 * and for every parameter separately: (L(θ + εv) − L(θ − εv)) / 2ε against ⟨∇L, v⟩ for a
 * random direction v. Returns one row per variable (the best of three step sizes ε, 3ε, ε/3,
 * since a step can cross a ReLU kink or a max-pool switch).
 */
export function gradCheck(module: Module, xShape: number[], opts: { eps?: number; seed?: number } = {}): GradCheckResult[] {
  const eps = opts.eps ?? 1e-3;
  const rng = new Rng(opts.seed ?? 7);
  const rand = (shape: number[]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.uniform(-1, 1);
    return tf.tensor(v, shape, 'float32');
  };
  const x = tf.variable(rand(xShape), true, 'gradcheck_x');
  const outShape = tf.tidy(() => module.forward(x).shape);
  const g = rand(outShape);
  const loss = () => tf.tidy(() => tf.sum(tf.mul(module.forward(x), g)) as tf.Scalar);
  const vars: [string, tf.Variable][] = [['input', x], ...module.namedParameters().map(([n, p]) => [n, p.variable] as [string, tf.Variable])];
  const { grads } = tf.variableGrads(loss, vars.map(([, v]) => v));
  const rows: GradCheckResult[] = [];
  for (const [name, v] of vars) {
    const dir = rand(v.shape);
    const analytic = tf.tidy(() => tf.sum(tf.mul(grads[v.name], dir)).dataSync()[0]);
    const orig = tf.clone(v);
    const at = (h: number) => {
      v.assign(tf.tidy(() => tf.add(orig, tf.mul(dir, h))));
      return tf.tidy(() => loss().dataSync()[0]);
    };
    // ReLU kinks and max-pool switches make a single step size unreliable for piecewise-linear
    // nets: try a few steps and keep the estimate closest to the analytic value.
    let best: GradCheckResult | null = null;
    for (const h of [eps, eps * 3, eps / 3]) {
      const numeric = (at(h) - at(-h)) / (2 * h);
      const relErr = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-3);
      if (!best || relErr < best.relErr) best = { name, analytic, numeric, relErr };
    }
    v.assign(orig);
    orig.dispose();
    dir.dispose();
    rows.push(best!);
  }
  Object.values(grads).forEach((t) => t.dispose());
  g.dispose();
  x.dispose();
  return rows;
}

/** Params of nn.Conv2d(cin, cout, k): cin·cout·k² + cout. */
export const convParams = (cin: number, cout: number, k: number): number => cin * cout * k * k + cout;
/** Params of nn.Linear(i, o): i·o + o. */
export const linearParams = (i: number, o: number): number => i * o + o;
/** PyTorch's ⌊(n + 2p − k)/s⌋ + 1. */
export const outSize = (n: number, k: number, s = 1, p = 0): number => Math.floor((n + 2 * p - k) / s) + 1;
