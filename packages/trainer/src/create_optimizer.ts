import { Adam } from './adam.js';
import type { NamedVariable, Optimizer } from './optimizer.js';
import { Sgd } from './sgd.js';

export interface OptimizerOptions {
  momentum?: number;
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/** The optimizer a TrainConfig names, over the given variables. */
export function createOptimizer(kind: 'adam' | 'sgd', vars: readonly NamedVariable[], options: OptimizerOptions = {}): Optimizer {
  if (kind === 'sgd') return new Sgd(vars, options);
  if (kind === 'adam') return new Adam(vars, options);
  throw new Error(`Unknown optimizer "${String(kind)}": choose adam or sgd`);
}
