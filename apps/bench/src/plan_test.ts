import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './args.js';
import { planRuns, TORCH_MIN_STEPS, TORCH_MIN_WARMUP, type Run } from './plan.js';

const plan = (argv: string[], pytorch = true) => planRuns(parseBenchArgs(argv), { pytorch });
const who = (r: Run) => (r.kind === 'pytorch' ? `${r.req.model} pytorch` : `${r.req.model} ${r.req.impl} ${r.req.backend}`);

describe('planRuns', () => {
  it('puts PyTorch in the same rounds as ours, network by network, taking turns', () => {
    const runs = plan(['--backends', 'wasm', '--impl', 'convnets,pytorch', '--models', 'nin,alexnet']);
    expect(runs.map(who)).toEqual([
      'nin convnets wasm', 'nin pytorch', 'nin pytorch', 'nin convnets wasm', 'nin convnets wasm', 'nin pytorch',
      'alexnet convnets wasm', 'alexnet pytorch', 'alexnet pytorch', 'alexnet convnets wasm', 'alexnet convnets wasm', 'alexnet pytorch',
    ]);
    expect(runs.slice(0, 6).map((r) => r.round)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(runs.every((r) => r.rounds === 3)).toBe(true);
    // --quick: five short rounds a network.
    const quick = plan(['--quick', '--backends', 'wasm', '--impl', 'convnets,pytorch', '--models', 'nin']);
    expect(quick.map((r) => r.round)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(runs[0]!.partners).toEqual(['pytorch']);
    expect(runs[1]!.partners).toEqual(['convnets wasm']);
  });

  it('interleaves tfjs-layers and every backend in the same rounds, and reverses the order every other round', () => {
    const runs = plan(['--backends', 'wasm,cpu', '--impl', 'convnets,tfjs-layers,pytorch', '--models', 'lenet', '--no-stock', '--rounds', '2']);
    const order = ['lenet convnets wasm', 'lenet tfjs-layers wasm', 'lenet convnets cpu', 'lenet tfjs-layers cpu', 'lenet pytorch'];
    expect(runs.map(who)).toEqual([...order, ...[...order].reverse()]);
  });

  it('gives PyTorch the warm-up and steps of ours a round, never fewer than 3 and 5', () => {
    const full = plan(['--backends', 'wasm', '--impl', 'convnets,pytorch', '--models', 'lenet', '--warmup', '6', '--steps', '60']);
    for (const r of full) expect([r.req.warmup, r.req.steps]).toEqual([6, 20]); // 60 steps over 3 rounds
    const quick = plan(['--quick', '--backends', 'wasm', '--impl', 'convnets,pytorch', '--models', 'vgg11-8']);
    const ours = quick.find((r) => r.kind === 'tfjs')!;
    const torch = quick.filter((r) => r.kind === 'pytorch');
    expect([ours.req.warmup, ours.req.steps]).toEqual([1, 2]); // 10 steps over 5 rounds
    expect(torch).toHaveLength(5);
    for (const r of torch) expect([r.req.warmup, r.req.steps]).toEqual([TORCH_MIN_WARMUP, TORCH_MIN_STEPS]);
  });

  it('gives PyTorch the batch of the tfjs rows (not cpu\'s smaller one)', () => {
    const runs = plan(['--backends', 'cpu', '--impl', 'convnets,pytorch', '--models', 'alexnet']);
    expect(runs.find((r) => r.kind === 'tfjs')!.req.batchSize).toBe(8);
    expect(runs.find((r) => r.kind === 'pytorch')!.req.batchSize).toBe(32);
  });

  it('runs a row alone once, and leaves PyTorch out where it cannot run', () => {
    const alone = plan(['--backends', 'wasm', '--impl', 'convnets', '--models', 'nin', '--steps', '8']);
    expect(alone.map((r) => [who(r), r.rounds, r.req.steps])).toEqual([['nin convnets wasm', 1, 8]]);
    const noTorch = plan(['--backends', 'wasm', '--impl', 'convnets,pytorch', '--models', 'nin'], false);
    expect(noTorch.map(who)).toEqual(['nin convnets wasm']);
  });

  it('runs the stock rows once, after the rounds', () => {
    const runs = plan(['--quick', '--backends', 'wasm', '--impl', 'convnets,tfjs-layers', '--models', 'alexnet']);
    expect(runs.map(who).slice(-1)).toEqual(['alexnet tfjs-layers wasm-stock']);
    expect(runs.at(-1)!.rounds).toBe(1);
    expect(runs.filter((r) => r.req.model === 'alexnet' && who(r).endsWith(' wasm'))).toHaveLength(10);
  });

  it('adds tfjs-layers on tfjs-webgpu\'s own kernels beside webgpu (under --quick, LeNet only, as the webgpu rows)', () => {
    const quick = plan(['--quick', '--backends', 'webgpu', '--impl', 'convnets,tfjs-layers', '--models', 'lenet,alexnet']);
    expect(quick.map(who).filter((w) => w.includes('stock'))).toEqual(['lenet tfjs-layers webgpu-stock']);
    const full = plan(['--backends', 'webgpu', '--impl', 'tfjs-layers', '--models', 'nin']);
    expect(full.map(who).at(-1)).toBe('nin tfjs-layers webgpu-stock');
    expect(plan(['--backends', 'webgpu', '--models', 'nin', '--no-stock']).map(who).some((w) => w.includes('stock'))).toBe(false);
  });
});
