/**
 * One bench row per process for a GPU machine, as JSON on stdout. With `stock` as the second
 * argument, tfjs-webgpu's own Conv2DBackpropFilter replaces convnets', so the two run side by side
 * on the same GPU (device-webgpu.sh).
 *
 *   node webgpu-row.mjs '{"model":"vgg11-8","backend":"webgpu","impl":"convnets","batchSize":128,"warmup":2,"steps":5}' [stock]
 */
import * as tf from '@tensorflow/tfjs-core';
import { stockKernel } from '../../../packages/backends/src/training_kernels.js';
import { measureRow, selectBackend, type RowRequest } from '../src/measure.js';

console.log = console.error;
const req = JSON.parse(process.argv[2] ?? '') as RowRequest;
const stock = process.argv[3] === 'stock';
await selectBackend(req.backend);
if (stock) {
  const kernelFunc = stockKernel('Conv2DBackpropFilter', req.backend)!;
  tf.unregisterKernel('Conv2DBackpropFilter', req.backend);
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: req.backend, kernelFunc });
}
const result = await measureRow(req);
process.stdout.write(`${JSON.stringify({ conv2DBackpropFilter: stock ? 'tfjs' : 'convnets', ...result })}\n`);
process.exit(0);
