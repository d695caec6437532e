import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { stockKernel, trainingKernelNames } from './training_kernels.js';

// Vitest gives each test file its own module graph: nothing below is imported before these tests.
describe('importing a backend subpath registers that backend’s kernels, and only that one', () => {
  it('cpu, then wasm, then webgpu', async () => {
    expect(trainingKernelNames('cpu')).toEqual([]);
    expect(trainingKernelNames('wasm')).toEqual([]);

    await import('./cpu/index.js');
    expect(trainingKernelNames('cpu')).toEqual(expect.arrayContaining(['Conv2D', 'Conv2DBackpropFilter', 'MaxPoolGrad']));
    const conv = tf.getKernel('Conv2D', 'cpu')?.kernelFunc;
    expect(conv).toBeDefined();
    expect(conv).not.toBe(stockKernel('Conv2D', 'cpu'));
    expect(trainingKernelNames('wasm')).toEqual([]);
    expect(trainingKernelNames('webgpu')).toEqual([]);

    await import('./wasm/index.js');
    // tfjs-backend-wasm has no filter gradient of its own: this one is ours.
    expect(stockKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(trainingKernelNames('webgpu')).toEqual([]);

    await import('./webgpu/index.js');
    expect(trainingKernelNames('webgpu')).toEqual(['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'MaxPoolGrad', 'BatchMatMul', '_FusedMatMul', 'AddN']);
    expect(tf.getKernel('Conv2DBackpropFilter', 'webgpu')?.kernelFunc).not.toBe(stockKernel('Conv2DBackpropFilter', 'webgpu'));
  });
});
