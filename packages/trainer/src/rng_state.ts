import { defaultRng, Rng, type Module, type RngState } from '@convnets/core';

interface RngLike {
  getState(): RngState;
  setState(s: RngState): void;
}

function isRng(v: unknown): v is RngLike {
  return !!v && typeof v === 'object' && typeof (v as RngLike).getState === 'function' && typeof (v as RngLike).setState === 'function';
}

/**
 * The generators a model's randomness (dropout) can draw from during training: core's
 * default Rng (what modules use when given none) and a public `rng` field on any module.
 */
export function collectRngs(model: Module): { global: RngLike; modules: [string, RngLike][] } {
  const modules: [string, RngLike][] = [];
  for (const [name, m] of model.namedModules()) {
    const r = (m as unknown as { rng?: unknown }).rng;
    if (isRng(r)) modules.push([name, r]);
  }
  return { global: defaultRng(), modules };
}

export function getRngStates(model: Module): { global: RngState; modules: Record<string, RngState> } {
  const { global, modules } = collectRngs(model);
  return { global: global.getState(), modules: Object.fromEntries(modules.map(([n, r]) => [n, r.getState()])) };
}

export function setRngStates(model: Module, states: { global: RngState; modules: Record<string, RngState> }): void {
  const { global, modules } = collectRngs(model);
  global.setState(states.global);
  for (const [name, r] of modules) {
    const s = states.modules[name];
    if (!s) throw new Error(`The checkpoint has no random state for module "${name}": was it saved from the same model?`);
    r.setState(s);
  }
}

/** Seeds every dropout generator from the run's seed (a fresh run is then reproducible). */
export function seedRngs(model: Module, seed: number): void {
  const root = new Rng((seed ^ 0x44524f50) >>> 0);
  const { global, modules } = collectRngs(model);
  global.setState(root.fork().getState());
  for (const [, r] of modules) r.setState(root.fork().getState());
}
