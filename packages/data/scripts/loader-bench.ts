/**
 * Loader throughput on the cpu backend: batches/s of `batches()` at batch 128, native 28x28
 * and resized to 224x224 (plus the host-only part, without tensors), to compare with a
 * training step. Prints figures; asserts nothing.
 *
 *   node --conditions=@convnets/source --import tsx packages/data/scripts/loader-bench.ts [--batches 20]
 *
 * Uses the real training split when it can be found (Debian/cache/FASHION_MNIST_DIR), else
 * synthetic data of the same shape.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { FashionMnist, type BatchOptions } from '../src/index.js';
import { loadFashionMnist } from '../src/node/index.js';

async function dataset(): Promise<FashionMnist> {
  try {
    return await loadFashionMnist({ split: 'train', verify: false });
  } catch {
    const n = 60000;
    const images = new Uint8Array(n * 784);
    for (let i = 0; i < images.length; i++) images[i] = (i * 2654435761) >>> 24;
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    return new FashionMnist({ split: 'train', images, labels, source: { kind: 'memory' } });
  }
}

async function measure(ds: FashionMnist, label: string, o: BatchOptions, maxBatches: number): Promise<void> {
  let n = 0;
  let examples = 0;
  const t0 = performance.now();
  for await (const { x, y } of ds.batches(o)) {
    await x.data(); // force the (resize) work to finish
    examples += y.shape[0];
    tf.dispose([x, y]);
    if (++n >= maxBatches) break;
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`${label.padEnd(44)} ${(n / s).toFixed(1).padStart(8)} batches/s  ${(examples / s).toFixed(0).padStart(8)} examples/s  (${((s / n) * 1000).toFixed(1)} ms/batch)`);
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--batches');
  const maxBatches = arg > 0 ? Number(process.argv[arg + 1]) : 20;
  if (!(await tf.setBackend('cpu'))) throw new Error('tf.setBackend("cpu") failed');
  const ds = await dataset();
  console.log(`data: ${ds.length} examples from ${ds.source.kind} ${ds.source.dir ?? ''}; backend ${tf.getBackend()}; ${maxBatches} batches each`);
  const base: BatchOptions = { batchSize: 128, shuffle: true, seed: 0 };
  await measure(ds, 'batch 128, 28x28', base, maxBatches * 10);
  await measure(ds, 'batch 128, 28x28, augment', { ...base, augment: { flip: true, cropPadding: 2, brightness: 0.2, contrast: 0.2 } }, maxBatches * 10);
  await measure(ds, 'batch 128, resize 96', { ...base, resize: 96 }, maxBatches);
  await measure(ds, 'batch 128, resize 224', { ...base, resize: 224 }, maxBatches);
  await measure(ds, 'batch 128, resize 224, no prefetch', { ...base, resize: 224, prefetch: false }, maxBatches);
}

await main();
