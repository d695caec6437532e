/**
 * One bench row per process for a GPU machine, as JSON on stdout (device-webgpu.sh). Arguments
 * after the request name variants, so that kernels can be compared side by side on the same GPU:
 *
 * - `stock-filter`: tfjs-webgpu's own Conv2DBackpropFilter instead of convnets';
 * - `stock-conv`: tfjs-webgpu's own four convolution kernels (forward, fused, both gradients);
 * - `gemm-forward`: the forward pass of wide layers (> 16 channels) through convnets' implicit
 *   GEMM too, where by default it stays tfjs-webgpu's (llvmpipe chose that; a GPU may not);
 * - `input-via-conv`: the input gradient as a forward convolution (the wasm/cpu route);
 * - `input-mm`: tfjs-webgpu's tiled input gradient (its kernel, WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE off);
 * - `submit-batch=N`: tfjs-webgpu submits every N dispatches (default 15).
 *
 *   node webgpu-row.mjs '{"model":"vgg11-8","backend":"webgpu","impl":"convnets","batchSize":128,"warmup":2,"steps":5}' [variant ...]
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { conv2DBackpropInputViaConv } from '../../../packages/backends/src/shared/conv_grads_via_conv.js';
import { conv2DWebgpu, fusedConv2DWebgpu } from '../../../packages/backends/src/webgpu/conv_gemm.js';
import { restoreStockKernels, stockKernel } from '../../../packages/backends/src/training_kernels.js';
import { measureRow, selectBackend, type RowRequest } from '../src/measure.js';

console.log = console.error;
const req = JSON.parse(process.argv[2] ?? '') as RowRequest;
const variants = process.argv.slice(3);
await selectBackend(req.backend);

const backendName = req.backend.replace(/-stock$/, '');
function replaceKernel(kernelName: string, kernelFunc: KernelFunc): void {
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc });
}
const stock = (kernelName: string) => stockKernel(kernelName, backendName)!;

for (const v of variants) {
  if (v === 'stock-filter') restoreStockKernels(backendName, ['Conv2DBackpropFilter']);
  else if (v === 'stock-conv') restoreStockKernels(backendName, ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']);
  else if (v === 'gemm-forward') {
    replaceKernel('Conv2D', conv2DWebgpu());
    replaceKernel('FusedConv2D', fusedConv2DWebgpu());
  } else if (v === 'input-via-conv') replaceKernel('Conv2DBackpropInput', conv2DBackpropInputViaConv(backendName, stock('Conv2DBackpropInput')));
  else if (v === 'input-mm') {
    replaceKernel('Conv2DBackpropInput', stock('Conv2DBackpropInput'));
    tf.env().set('WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE', false);
  } else if (v.startsWith('submit-batch=')) tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', Number(v.slice('submit-batch='.length)));
  else throw new Error(`webgpu-row: unknown variant '${v}' (stock-filter, stock-conv, gemm-forward, input-via-conv, input-mm, submit-batch=N)`);
}
const result = await measureRow(req);
const conv2DBackpropFilter = req.backend === 'webgpu-stock' || variants.some((v) => v.startsWith('stock')) ? 'tfjs' : 'convnets';
process.stdout.write(`${JSON.stringify({ conv2DBackpropFilter, variants, ...result })}\n`);
process.exit(0);
