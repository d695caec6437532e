/**
 * A/B of one webgpu training kernel inside the same process, taking turns (ours, stock, stock,
 * ours, …) so both see the same phases of a loaded machine: milliseconds per LeNet Adam step.
 *
 *   node --conditions=@convnets/source --import tsx apps/bench/scripts/webgpu-lenet-ab.ts adam|filter-grad|conv [batch]
 *
 * adam: the fused WGSL Adam step vs the op path; filter-grad: convnets' Conv2DBackpropFilter vs
 * tfjs-webgpu's; conv: convnets' four convolution kernels (Conv2D, FusedConv2D and both
 * gradients) vs tfjs-webgpu's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';
import { Rng, registerFusedAdamStep } from '@convnets/core';
import { createModel } from '@convnets/models';
import { Adam, softmaxCrossEntropy } from '@convnets/trainer';
import { fusedAdamStepWebgpu } from '../../../packages/backends/src/webgpu/fused_adam.js';
import { restoreStockKernels } from '../../../packages/backends/src/training_kernels.js';

const what = process.argv[2];
const batch = Number(process.argv[3] ?? 64);
if (what !== 'adam' && what !== 'filter-grad' && what !== 'conv') {
  console.error('usage: webgpu-lenet-ab.ts adam|filter-grad|conv [batch]');
  process.exit(2);
}
await useBackend('webgpu', { allowFallbackAdapter: true });
const swapped = what === 'conv' ? ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'] : ['Conv2DBackpropFilter'];
const ourKernels = new Map(swapped.map((name) => [name, tf.getKernel(name, 'webgpu')!.kernelFunc]));
const use = (ours: boolean) => {
  if (what === 'adam') return registerFusedAdamStep('webgpu', ours ? fusedAdamStepWebgpu : () => null);
  if (!ours) return restoreStockKernels('webgpu', swapped);
  for (const [kernelName, kernelFunc] of ourKernels) {
    tf.unregisterKernel(kernelName, 'webgpu');
    tf.registerKernel({ kernelName, backendName: 'webgpu', kernelFunc });
  }
};
const model = createModel('lenet', { rng: new Rng(3) });
const named = model.namedParameters().map(([name, p]) => ({ name, variable: p.variable }));
const vars = named.map((v) => v.variable);
const optimizer = new Adam(named);
const x = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32');
const step = async () => {
  const loss = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => softmaxCrossEntropy(model.forward(x), y), vars);
    optimizer.apply(vars.map((v) => grads[v.name]!), 1e-3);
    return value;
  });
  await loss.data();
  loss.dispose();
};
const ms: Record<'ours' | 'stock', number[]> = { ours: [], stock: [] };
for (let round = 0; round < 4; round++) {
  for (const side of round % 2 ? (['stock', 'ours'] as const) : (['ours', 'stock'] as const)) {
    use(side === 'ours');
    await step();
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) await step();
    ms[side].push(Math.round((performance.now() - t0) / 3));
  }
}
console.log(`${what}, LeNet batch ${batch}, ms per step (4 rounds of 3): ours ${ms.ours.join(' ')} | stock ${ms.stock.join(' ')}`);
process.exit(0);
