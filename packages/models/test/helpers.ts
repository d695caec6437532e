import { useBackend } from '@convnets/backends';

export async function cpu(): Promise<void> {
  await useBackend('cpu');
}

/** nn.Conv2d(cin, cout, k) parameters: cin·cout·k² + cout. */
export const convP = (cin: number, cout: number, k: number): number => cin * cout * k * k + cout;
/** nn.Linear(i, o) parameters: i·o + o. */
export const linP = (i: number, o: number): number => i * o + o;
/** nn.BatchNorm2d(c) parameters (weight and bias; the running stats are buffers). */
export const bnP = (c: number): number => 2 * c;
/** PyTorch conv/pool output side: ⌊(n + 2p − k)/s⌋ + 1. */
export const out = (n: number, k: number, s = 1, p = 0): number => Math.floor((n + 2 * p - k) / s) + 1;
/** Keys weight/bias of the given module paths. */
export const wb = (...paths: string[]): string[] => paths.flatMap((p) => [`${p}.weight`, `${p}.bias`]);

/** The wasm backend (XNNPACK): forward-only shape walks of the 224-pixel models run here, much faster than cpu. */
export async function wasm(): Promise<void> {
  await useBackend('wasm');
}
