import { initParameter, type InitScheme } from './init.js';
import type { Module } from './module.js';
import { defaultRng, type Rng } from './random.js';

/**
 * Re-initialises every Conv2d and Linear weight of a network, as the book's
 * `net.apply(init_weights)` does with nn.init.xavier_uniform_. Biases keep their values.
 */
export function applyInit(module: Module, scheme: InitScheme, rng: Rng = defaultRng()): void {
  for (const [, p] of module.namedParameters()) {
    if (p.layout === 'conv2d' || p.layout === 'linear') initParameter(p, scheme, rng);
  }
}
