#!/bin/bash
# WebGPU figures on a lent GPU machine (see docs/gpu/README.md). Those machines start bare:
# no Node, no node_modules, no Vulkan loader. `prepare` (here) bundles what they need into
# .gpu/ and .gl/; `run` (there: `bash apps/bench/scripts/device-webgpu.sh run`, carrying both)
# writes the filter-gradient sweep and the rows to $OUT.
set -euo pipefail
cd "$(dirname "$0")/../../.."
case "${1:-}" in
prepare)
  rm -rf .gpu && mkdir -p .gpu/node_modules/webgpu/dist .gl
  web=$(dirname "$(node -e "console.log(require.resolve('webgpu/package.json', { paths: ['packages/backends'] }))")")
  cp "$web/index.js" "$web/package.json" .gpu/node_modules/webgpu/ && cp "$web/dist/linux-x64.dawn.node" .gpu/node_modules/webgpu/dist/
  esbuild=$(node -e "console.log(require.resolve('esbuild', { paths: ['packages/backends'] }))")
  banner="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
  bundle() { node -e "require('$esbuild').buildSync({ entryPoints: ['$1'], outfile: '$2', bundle: true, platform: 'node', format: 'esm', target: 'node20', conditions: ['@convnets/source'], external: ['webgpu'], banner: { js: \"$banner\" }, logLevel: 'error' })"; }
  bundle packages/backends/scripts/filter-grad-bench.ts .gpu/filter-grad-bench.mjs
  bundle apps/bench/scripts/webgpu-row.ts .gpu/webgpu-row.mjs
  xz -T2 -1 -c "$(readlink -f "$(command -v node)")" > .gpu/node.xz
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  mkdir -p /tmp/amd64/partial && apt-get $o update >/dev/null && (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
  grep -qx '/.gpu/' .git/info/exclude || printf '/.gpu/\n/.gl/\n' >> .git/info/exclude
  du -sh .gpu .gl ;;
run)
  OUT=${OUT:-/tmp/out}
  mkdir -p "$OUT" /tmp/nodebin
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"
  xz -dc .gpu/node.xz > /tmp/nodebin/node && chmod +x /tmp/nodebin/node && export PATH=/tmp/nodebin:$PATH
  for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  cd .gpu
  REPS=3 timeout 150 node filter-grad-bench.mjs webgpu '[[256,28,28,1,5,6,1,2],[256,14,14,6,5,16,1,0],[128,224,224,1,11,96,4,1],[128,26,26,96,5,256,1,2],[128,12,12,256,3,384,1,1],[128,224,224,1,3,8,1,1],[128,112,112,8,3,16,1,1],[128,56,56,32,3,32,1,1],[128,14,14,64,3,64,1,1],[128,54,54,96,1,96,1,0],[128,96,96,1,7,64,2,3],[128,24,24,64,3,192,1,1],[128,12,12,96,3,128,1,1]]' 2>&1 | grep -v maxDynamic | tee "$OUT/filter_grad.txt"
  for m in lenet alexnet vgg11-8 nin googlenet; do
    b=128; [ $m = lenet ] && b=256
    req() { echo "{\"model\":\"$m\",\"backend\":\"webgpu\",\"impl\":\"$1\",\"batchSize\":$b,\"warmup\":2,\"steps\":5,\"budgetS\":60}"; }
    timeout 100 node webgpu-row.mjs "$(req convnets)" 2>/dev/null | tee -a "$OUT/rows.jsonl" || true
    timeout 100 node webgpu-row.mjs "$(req convnets)" stock 2>/dev/null | tee -a "$OUT/rows.jsonl" || true
    timeout 100 node webgpu-row.mjs "$(req tfjs-layers)" 2>/dev/null | tee -a "$OUT/rows.jsonl" || true
  done ;;
*) echo "usage: device-webgpu.sh prepare | run" >&2; exit 2 ;;
esac
