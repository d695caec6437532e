import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';
import { createModel } from '@convnets/models';
import { Adam, softmaxCrossEntropy } from '@convnets/trainer';

await useBackend('wasm');
const model = createModel('lenet', { inChannels: 1, numClasses: 10, inputSize: 28 });
const named = model.namedParameters().map(([name, p]) => ({ name, variable: p.variable }));
const vars = named.map((v) => v.variable);
const opt = new Adam(named);
const x = tf.randomNormal([256, 28, 28, 1]) as tf.Tensor4D;
const y = tf.randomUniformInt([256], 0, 10) as tf.Tensor1D;
const step = async () => {
  model.train();
  const loss = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => softmaxCrossEntropy(model.forward(x), y), vars);
    opt.apply(vars.map((v) => grads[v.name] ?? tf.zerosLike(v)), 1e-3);
    return value;
  });
  await loss.data();
  loss.dispose();
};
for (let i = 0; i < 5; i++) await step();
const times: number[] = [];
for (let i = 0; i < 20; i++) { const t = performance.now(); await step(); times.push(performance.now() - t); }
times.sort((a, b) => a - b);
console.log(times.map(t=>t.toFixed(0)).join(' '));console.log('step ms median', times[10].toFixed(1), 'min', times[0].toFixed(1));
const info = await tf.profile(step);
const by = new Map<string, [number, number]>();
let sum = 0;
for (const k of info.kernels) { const e = by.get(k.name) ?? [0, 0]; e[0] += k.kernelTimeMs as number; e[1]++; by.set(k.name, e); sum += k.kernelTimeMs as number; }
console.log('kernels', info.kernels.length, 'kernel ms sum', sum.toFixed(1));
for (const [n, [ms, c]] of [...by].sort((a, b) => b[1][0] - a[1][0])) console.log(n.padEnd(28), ms.toFixed(2).padStart(7), String(c).padStart(4));
