/**
 * One bundle for a bare GPU machine (device-webgpu.sh): tfjs, Dawn's loader and the kernels
 * once, three entry points. The first argument picks one; the rest are its own.
 *
 *   node gpu.mjs filter-grad webgpu '[[n,h,w,c,k,f,s,p], …]'   packages/backends/scripts/filter-grad-bench.ts
 *   node gpu.mjs row '<RowRequest JSON>' [stock]                apps/bench/scripts/webgpu-row.ts
 *   node gpu.mjs train --model lenet --preset book …            the convnets CLI (apps/trainer)
 */
const [entry] = process.argv.splice(2, 1);
if (entry === 'filter-grad') await import('../../../packages/backends/scripts/filter-grad-bench.js');
else if (entry === 'row') await import('./webgpu-row.js');
else if (entry === 'train') {
  process.argv.splice(2, 0, 'train');
  await import('../../trainer/src/cli.js');
} else {
  console.error(`usage: gpu.mjs filter-grad | row | train … (got ${JSON.stringify(entry)})`);
  process.exit(2);
}
