/**
 * convnets' wasm convolution kernels layer by layer: milliseconds per call (median of 5, after
 * 2 warm-up calls) and GFLOP/s of the forward pass (FusedConv2D with bias and relu), the input
 * gradient and the filter gradient, at the layer shapes of one of the five networks (VGG is VGG-11/8). Where a training step's
 * time goes, and how far each layer is from the relaxed-SIMD ceiling of `pnpm bench`.
 *
 *   node --conditions=@convnets/source --import tsx apps/bench/scripts/wasm-layers.ts lenet|alexnet|vgg|nin|googlenet [batch]
 *
 * wasm kernels run synchronously: a call's time is the kernel's. A first layer's input gradient
 * is not timed (training never computes it).
 */
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@convnets/backends';

/** [name, input size, in channels, out channels, kernel, stride, pad]. */
type Layer = [string, number, number, number, number, number, number];

const LAYERS: Record<string, Layer[]> = {
  lenet: [
    ['c1 5×5', 28, 1, 6, 5, 1, 2],
    ['c2 5×5', 14, 6, 16, 5, 1, 0],
  ],
  alexnet: [
    ['c1 11×11 s4', 224, 1, 96, 11, 4, 1],
    ['c2 5×5', 26, 96, 256, 5, 1, 2],
    ['c3 3×3', 12, 256, 384, 3, 1, 1],
    ['c4 3×3', 12, 384, 384, 3, 1, 1],
    ['c5 3×3', 12, 384, 256, 3, 1, 1],
  ],
  vgg: [
    ['b1 3×3', 224, 1, 8, 3, 1, 1],
    ['b2 3×3', 112, 8, 16, 3, 1, 1],
    ['b3 3×3 a', 56, 16, 32, 3, 1, 1],
    ['b3 3×3 b', 56, 32, 32, 3, 1, 1],
    ['b4 3×3 a', 28, 32, 64, 3, 1, 1],
    ['b4 3×3 b', 28, 64, 64, 3, 1, 1],
    ['b5 3×3 a', 14, 64, 64, 3, 1, 1],
    ['b5 3×3 b', 14, 64, 64, 3, 1, 1],
  ],
  nin: [
    ['b1 11×11 s4', 224, 1, 96, 11, 4, 0],
    ['b1 1×1', 54, 96, 96, 1, 1, 0],
    ['b2 5×5', 26, 96, 256, 5, 1, 2],
    ['b2 1×1', 26, 256, 256, 1, 1, 0],
    ['b3 3×3', 12, 256, 384, 3, 1, 1],
    ['b3 1×1', 12, 384, 384, 1, 1, 0],
    ['b4 3×3', 5, 384, 10, 3, 1, 1],
    ['b4 1×1', 5, 10, 10, 1, 1, 0],
  ],
  googlenet: [
    ['b1 7×7 s2', 96, 1, 64, 7, 2, 3],
    ['b2 1×1', 24, 64, 64, 1, 1, 0],
    ['b2 3×3', 24, 64, 192, 3, 1, 1],
    ['3a p1 1×1', 12, 192, 64, 1, 1, 0],
    ['3a p2 1×1', 12, 192, 96, 1, 1, 0],
    ['3a p2 3×3', 12, 96, 128, 3, 1, 1],
    ['3a p3 1×1', 12, 192, 16, 1, 1, 0],
    ['3a p3 5×5', 12, 16, 32, 5, 1, 2],
    ['3a p4 1×1', 12, 192, 32, 1, 1, 0],
    ['3b p1 1×1', 12, 256, 128, 1, 1, 0],
    ['3b p2 3×3', 12, 128, 192, 3, 1, 1],
    ['3b p3 5×5', 12, 32, 96, 5, 1, 2],
    ['4a p1 1×1', 6, 480, 192, 1, 1, 0],
    ['4a p2 3×3', 6, 96, 208, 3, 1, 1],
    ['4e p2 3×3', 6, 160, 320, 3, 1, 1],
    ['5b p1 1×1', 3, 832, 384, 1, 1, 0],
    ['5b p2 3×3', 3, 192, 384, 3, 1, 1],
  ],
};

const net = process.argv[2] ?? 'nin';
const batch = Number(process.argv[3] ?? 8);
const layers = LAYERS[net];
if (!layers) throw new Error(`unknown network '${net}': choose one of ${Object.keys(LAYERS).join(', ')}`);
const backend = await useBackend('wasm');

function medianMs(f: () => tf.Tensor, reps = 5): number {
  for (let i = 0; i < 2; i++) f().dispose();
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const t = f();
    ms.push(performance.now() - t0);
    t.dispose();
  }
  return ms.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
}

console.log(`${net}, batch ${batch}, wasm ${JSON.stringify(backend.details)}: ms per call (GFLOP/s)`);
const total = { forward: 0, input: 0, filter: 0 };
layers.forEach(([name, h, c, o, k, s, p], i) => {
  const x = tf.randomNormal([batch, h, h, c]) as tf.Tensor4D;
  const filter = tf.randomNormal([k, k, c, o]) as tf.Tensor4D;
  const bias = tf.randomNormal([o]) as tf.Tensor1D;
  const pad = p === 0 ? 'valid' : ([[0, 0], [p, p], [p, p], [0, 0]] as unknown as 'valid');
  const dy = tf.tidy(() => tf.randomNormal(tf.conv2d(x, filter, s, pad).shape));
  const macs = dy.size * k * k * c;
  const attrs = { strides: [s, s], pad, dataFormat: 'NHWC' } as const;
  const forward = medianMs(() => tf.fused.conv2d({ x, filter, strides: s, pad, bias, activation: 'relu' }));
  const input = i === 0 ? 0 : medianMs(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { ...attrs, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor);
  const filterGrad = medianMs(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor);
  const cell = (ms: number) => (ms ? `${ms.toFixed(1).padStart(6)} (${((2 * macs) / ms / 1e6).toFixed(0).padStart(3)})` : '     —      ');
  console.log(`${name.padEnd(12)} forward ${cell(forward)}  input grad ${cell(input)}  filter grad ${cell(filterGrad)}`);
  total.forward += forward;
  total.input += input;
  total.filter += filterGrad;
  tf.dispose([x, filter, bias, dy]);
});
console.log(`total        forward ${total.forward.toFixed(1)} ms  input grad ${total.input.toFixed(1)} ms  filter grad ${total.filter.toFixed(1)} ms`);
