import * as tf from '@tensorflow/tfjs-core';
import { requireSystem } from '@convnets/vitest-config/system';
import { afterAll, describe, expect, it } from 'vitest';
import { aggregatePrograms, formatGpuProfile, profileWebgpuStep } from './profile.js';

describe('aggregatePrograms', () => {
  it('sums dispatches and GPU ms by program, largest time first', () => {
    const records = [
      { name: 'MatMulPackedProgram', ms: 0.5 },
      { name: 'BinaryOpProgram', ms: 0.1 },
      { name: 'MatMulPackedProgram', ms: 0.25 },
      { name: 'BinaryOpProgram', ms: 0.1 },
      { name: 'BinaryOpProgram', ms: 0.1 },
    ];
    expect(aggregatePrograms(records, true)).toEqual([
      { name: 'MatMulPackedProgram', dispatches: 2, gpuMs: 0.75 },
      { name: 'BinaryOpProgram', dispatches: 3, gpuMs: expect.closeTo(0.3, 12) as unknown as number },
    ]);
  });

  it('without timestamps: null times, most dispatches first', () => {
    expect(aggregatePrograms([{ name: 'A' }, { name: 'B' }, { name: 'B' }], false)).toEqual([
      { name: 'B', dispatches: 2, gpuMs: null },
      { name: 'A', dispatches: 1, gpuMs: null },
    ]);
  });
});

describe('formatGpuProfile', () => {
  const base = { dispatches: 5, submits: 2, reads: 1, issueMs: 3.25, wallMs: 10, programs: aggregatePrograms([{ name: 'A', ms: 3 }, { name: 'B', ms: 1 }], true) };

  it('gives totals and each program with its share of GPU time', () => {
    const text = formatGpuProfile('lenet webgpu convnets b4', { ...base, timestamps: true });
    expect(text).toContain('5 dispatches, 2 submits, 1 buffer reads; CPU issuing 3.3 ms of 10.0 ms wall');
    expect(text).toContain('4.00 ms');
    expect(text).toMatch(/A\s+1 dispatches\s+3\.000 ms\s+75%/);
  });

  it('says when timestamp queries are unavailable', () => {
    const text = formatGpuProfile('t', { ...base, timestamps: false, programs: aggregatePrograms([{ name: 'A' }], false) });
    expect(text).toContain('GPU time: n/a');
    expect(text).toMatch(/A\s+1 dispatches\s*$/m);
  });
});

const mesa = await requireSystem('mesa', import.meta.url);

describe('profileWebgpuStep (Dawn in Node)', () => {
  afterAll(async () => {
    const { useBackend } = await import('@convnets/backends');
    await useBackend('cpu');
  });

  it.skipIf(!mesa.ok)('counts the dispatches, submits and reads of a step, and names its programs', async () => {
    const { useBackend } = await import('@convnets/backends');
    await useBackend('webgpu', { allowFallbackAdapter: true });
    const a = tf.randomUniform([64, 48], 0, 1, 'float32', 1);
    const b = tf.randomUniform([48, 32], 0, 1, 'float32', 2);
    const step = async () => {
      const y = tf.tidy(() => tf.sum(tf.relu(tf.matMul(a, b))));
      await y.data();
      y.dispose();
    };
    await step(); // compiles the pipelines
    const before = tf.memory().numTensors;
    const p = await profileWebgpuStep(step);
    expect(tf.memory().numTensors).toBe(before);
    expect(p.dispatches).toBeGreaterThanOrEqual(3);
    expect(p.reads).toBeGreaterThanOrEqual(1);
    expect(p.submits).toBeGreaterThanOrEqual(1);
    expect(p.issueMs).toBeLessThanOrEqual(p.wallMs);
    const names = p.programs.map((x) => x.name);
    expect(names.some((n) => /MatMul/.test(n))).toBe(true);
    expect(p.programs.reduce((s, x) => s + x.dispatches, 0)).toBeLessThanOrEqual(p.dispatches);
    // The wrappers are gone: a later step is not counted.
    const counted = p.dispatches;
    await step();
    expect(p.dispatches).toBe(counted);
    tf.dispose([a, b]);
  }, 300_000);
});
