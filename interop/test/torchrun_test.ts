/**
 * The torchrun project `convnets export` writes (interop/torchrun/) against convnets itself: the
 * seed module it builds for each preset holds our tensors under our names and shapes, its
 * class-stratified subsets are data's, and its learning-rate schedule is trainer's.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '@convnets/backends';
import { torchShape } from '@convnets/core';
import { stratifiedIndices } from '@convnets/data';
import { loadFashionMnist } from '@convnets/data/node';
import { createModel, type ModelName } from '@convnets/models';
import { getPreset, learningRateAt, type LrSchedule, type PresetName } from '@convnets/trainer';
import { FASHION_MNIST_DIR, INTEROP_DIR, PYTHON, titled, TORCH } from './helpers.js';

const TORCHRUN_DIR = join(INTEROP_DIR, 'torchrun');

const PRESETS: [ModelName, PresetName][] = [
  ['lenet', 'quick'], ['alexnet', 'quick'], ['vgg11', 'quick'], ['nin', 'quick'], ['googlenet', 'quick'],
  ['lenet', 'book'], ['vgg11', 'book'], ['googlenet', 'seed'],
];
const LIMITS = [0, 7, 300, 1001];
const SCHEDULES: (LrSchedule | undefined)[] = [undefined, { kind: 'constant' }, { kind: 'step', stepSize: 2, gamma: 0.5 }, { kind: 'cosine', minLr: 0.001 }, { kind: 'cosine' }];

const PROBE = `
import json, sys
import convnets_data, convnets_model, fashion_mnist, train
req = json.load(sys.stdin)
_, y = fashion_mnist.load('test', req['dataDir'])
print(json.dumps({
    'strata': {str(n): convnets_data.stratified_indices(y, n).tolist() for n in req['limits']},
    'lr': [train.learning_rate_at(s['lr'], s['epoch'], s['epochs'], s.get('schedule')) for s in req['lrs']],
    'models': [convnets_model.describe(c) for c in req['configs']],
}))
`;

interface Probe {
  strata: Record<string, number[]>;
  lr: number[];
  models: { model: string; state: [string, number[]][] }[];
}

function presetConfig(model: ModelName, preset: PresetName) {
  const p = getPreset(model, preset);
  return { model, inputSize: p.inputSize, modelOptions: p.modelOptions, widthRatio: (p.modelOptions as { widthRatio?: number }).widthRatio };
}

describe.skipIf(!TORCH.ok)(titled('interop/torchrun (the project convnets export writes)'), () => {
  const lrs = SCHEDULES.flatMap((schedule) => [0, 1, 2, 3, 4].map((epoch) => ({ lr: 0.1, epoch, epochs: 5, schedule })));
  let probe: Probe;

  beforeAll(async () => {
    await useBackend('cpu');
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(PYTHON, ['-c', PROBE], { env: { ...process.env, PYTHONPATH: `${TORCHRUN_DIR}:${INTEROP_DIR}`, PYTHONDONTWRITEBYTECODE: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(JSON.stringify({ dataDir: FASHION_MNIST_DIR, limits: LIMITS, lrs, configs: PRESETS.map(([m, p]) => presetConfig(m, p)) }));
    });
    if (r.code !== 0) throw new Error(`torchrun probe exited ${r.code}:\n${r.stderr}`);
    probe = JSON.parse(r.stdout) as Probe;
  }, 600_000);

  it.each(PRESETS.map(([m, p], i) => [m, p, i] as const))("%s (%s): the seed module has our tensors' names and shapes", (model, preset, i) => {
    const c = presetConfig(model, preset);
    const net = createModel(model, { ...c.modelOptions, inputSize: c.inputSize });
    const ours = net.namedParameters().map(([name, p]) => [name, torchShape(p.layout, p.variable.shape)]);
    expect(probe.models[i].state).toEqual(ours);
    net.dispose();
  });

  it("picks data's class-stratified subsets", async () => {
    const test = await loadFashionMnist({ split: 'test', dataDir: FASHION_MNIST_DIR });
    for (const n of LIMITS) expect(probe.strata[String(n)], `limit ${n}`).toEqual(Array.from(stratifiedIndices(test.labels, n)));
  });

  it("follows trainer's learning-rate schedules", () => {
    const ours = lrs.map((s) => learningRateAt(s.lr, s.epoch, s.epochs, s.schedule));
    probe.lr.forEach((v, i) => expect(v, JSON.stringify(lrs[i])).toBeCloseTo(ours[i], 12));
  });
});
