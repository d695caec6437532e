/**
 * One bench row per process for a GPU machine, as JSON on stdout (device-webgpu.sh). Arguments
 * after the request name variants, so that kernels can be compared side by side on the same GPU:
 *
 * - `stock` (or `stock-filter`): tfjs-webgpu's own Conv2DBackpropFilter instead of convnets';
 * - `input-via-conv`: the input gradient as a forward convolution (the wasm/cpu route);
 * - `input-mm`: tfjs-webgpu's tiled input gradient (WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE off);
 * - `submit-batch=N`: tfjs-webgpu submits every N dispatches (default 15).
 *
 *   node webgpu-row.mjs '{"model":"vgg11-8","backend":"webgpu","impl":"convnets","batchSize":128,"warmup":2,"steps":5}' [variant ...]
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { conv2DBackpropInputViaConv } from '../../../packages/backends/src/shared/conv_grads_via_conv.js';
import { stockKernel } from '../../../packages/backends/src/training_kernels.js';
import { measureRow, selectBackend, type RowRequest } from '../src/measure.js';

console.log = console.error;
const req = JSON.parse(process.argv[2] ?? '') as RowRequest;
const variants = process.argv.slice(3);
await selectBackend(req.backend);

function replaceKernel(kernelName: string, kernelFunc: KernelFunc): void {
  tf.unregisterKernel(kernelName, req.backend);
  tf.registerKernel({ kernelName, backendName: req.backend, kernelFunc });
}

for (const v of variants) {
  if (v === 'stock' || v === 'stock-filter') replaceKernel('Conv2DBackpropFilter', stockKernel('Conv2DBackpropFilter', req.backend)!);
  else if (v === 'input-via-conv') replaceKernel('Conv2DBackpropInput', conv2DBackpropInputViaConv(req.backend, stockKernel('Conv2DBackpropInput', req.backend)));
  else if (v === 'input-mm') tf.env().set('WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE', false);
  else if (v.startsWith('submit-batch=')) tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', Number(v.slice('submit-batch='.length)));
  else throw new Error(`webgpu-row: unknown variant '${v}' (stock-filter, input-via-conv, input-mm, submit-batch=N)`);
}
const result = await measureRow(req);
const conv2DBackpropFilter = variants.some((v) => v.startsWith('stock')) ? 'tfjs' : 'convnets';
process.stdout.write(`${JSON.stringify({ conv2DBackpropFilter, variants, ...result })}\n`);
process.exit(0);
