import * as tf from '@tensorflow/tfjs-core';
import { checkHyper, loadSlots, slotEntries, type NamedVariable, type Optimizer, type OptimizerState } from './optimizer.js';

export interface SgdOptions {
  momentum?: number;
  weightDecay?: number;
}

/**
 * torch.optim.SGD (dampening 0, no Nesterov):
 *   g ← g + wd·p;  b ← μ·b + g (b = g on the first step);  p ← p - lr·b
 * Without momentum: p ← p - lr·g.
 */
export class Sgd implements Optimizer {
  readonly kind = 'sgd' as const;
  readonly momentum: number;
  readonly weightDecay: number;
  private t = 0;
  private readonly buf: tf.Variable[];

  constructor(
    private readonly vars: readonly NamedVariable[],
    options: SgdOptions = {},
  ) {
    this.momentum = options.momentum ?? 0;
    this.weightDecay = options.weightDecay ?? 0;
    checkHyper('SGD momentum', this.momentum, (m) => m >= 0 && m < 1, 'in [0, 1)');
    checkHyper('weightDecay', this.weightDecay, (w) => w >= 0, 'non-negative');
    this.buf = this.momentum > 0 ? vars.map(({ variable }) => tf.tidy(() => tf.variable(tf.zerosLike(variable), false))) : [];
  }

  get stepCount(): number {
    return this.t;
  }

  apply(grads: readonly tf.Tensor[], lr: number): void {
    const first = this.t === 0;
    this.t += 1;
    const { momentum: mu, weightDecay: wd } = this;
    tf.tidy(() => {
      this.vars.forEach(({ variable: p }, i) => {
        let g = grads[i];
        if (wd !== 0) g = tf.add(g, tf.mul(p, wd));
        if (mu > 0) {
          const b = first ? g : tf.add(tf.mul(this.buf[i], mu), g);
          this.buf[i].assign(b);
          g = b;
        }
        p.assign(tf.sub(p, tf.mul(g, lr)));
      });
    });
  }

  slotVariables(): tf.Variable[] {
    return [...this.buf];
  }

  async getState(): Promise<OptimizerState> {
    return {
      kind: 'sgd',
      step: this.t,
      hyper: { momentum: this.momentum, weightDecay: this.weightDecay },
      tensors: this.momentum > 0 ? await slotEntries(this.vars, { momentum_buffer: this.buf }) : {},
    };
  }

  setState(state: OptimizerState): void {
    if (state.kind !== 'sgd') throw new Error(`The checkpoint holds ${state.kind} state but this run uses sgd: resume with the optimizer it was saved with`);
    if (this.momentum > 0) loadSlots('SGD', this.vars, { momentum_buffer: this.buf }, state.tensors);
    this.t = state.step;
  }

  dispose(): void {
    tf.dispose(this.buf);
  }
}
