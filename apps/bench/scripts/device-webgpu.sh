#!/bin/bash
# WebGPU figures on a lent GPU machine (see docs/gpu/README.md). Those machines start bare:
# no Node, no node_modules, no Vulkan loader. `prepare` (here) bundles what they need into
# .gpu/ and .gl/ (one minified bundle: apps/bench/scripts/gpu-main.ts; Node, Dawn and
# Fashion-MNIST xz'ed, ~61 MiB of the 64 a run carries); `run` (there: `bash apps/bench/scripts/device-webgpu.sh run`, carrying both)
# writes to $OUT, in about 10 minutes:
#   rows.jsonl      the issue #21 table: convnets (with its --profile: dispatches, submits, CPU
#                   issue time, GPU ms per program from timestamp queries) and tfjs-layers on
#                   webgpu, per model at PyTorch's batch (LeNet 256, others 128)
#   torch_cuda.json PyTorch CUDA at the same batches (when python3 has torch with CUDA there)
#   book_<model>/   the `book` preset trained end to end with the CLI (LeNet, then AlexNet as far
#                   as its time allows; resume it later with `convnets train --out … --resume`)
set -euo pipefail
cd "$(dirname "$0")/../../.."
case "${1:-}" in
prepare)
  rm -rf .gpu && mkdir -p .gpu/node_modules/webgpu/dist .gl
  web=$(dirname "$(node -e "console.log(require.resolve('webgpu/package.json', { paths: ['packages/backends'] }))")")
  cp "$web/index.js" "$web/package.json" .gpu/node_modules/webgpu/ && xz -T2 -6 -c "$web/dist/linux-x64.dawn.node" > .gpu/dawn.node.xz
  # mainFields: ESM builds of every package; tfjs-core's CommonJS `main` next to its ESM one gave
  # two copies of tfjs-core in one bundle (Tensor.cast on a null op handler in the CLI).
  esbuild=$(node -e "console.log(require.resolve('esbuild', { paths: ['packages/backends'] }))")
  banner="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
  node -e "require('$esbuild').buildSync({ entryPoints: ['apps/bench/scripts/gpu-main.ts'], outfile: '.gpu/gpu.mjs', bundle: true, minify: true, mainFields: ['module', 'main'], platform: 'node', format: 'esm', target: 'node20', conditions: ['@convnets/source'], external: ['webgpu'], banner: { js: \"$banner\" }, logLevel: 'error' })"
  # Raw idx files xz'ed (26 MB; the .gz files are 31): the loader reads raw files too.
  rm -rf /tmp/fmnist && mkdir -p /tmp/fmnist && for f in /usr/share/datasets/fashion-mnist/*.gz; do zcat "$f" > "/tmp/fmnist/$(basename "$f" .gz)"; done
  tar -C /tmp/fmnist -cf - . | xz -T2 -6 > .gpu/fashion-mnist.tar.xz && rm -rf /tmp/fmnist
  xz -T2 -1 -c "$(readlink -f "$(command -v node)")" > .gpu/node.xz
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  mkdir -p /tmp/amd64/partial && apt-get $o update >/dev/null && (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
  grep -qx '/.gpu/' .git/info/exclude || printf '/.gpu/\n/.gl/\n' >> .git/info/exclude
  du -sh .gpu .gl
  kib=$(du -sk .gpu .gl | awk '{ s += $1 } END { print s }')
  if [ "$kib" -gt 65536 ]; then echo "device-webgpu.sh: .gpu + .gl are $((kib / 1024)) MiB, over the 64 MiB a device run carries" >&2; exit 1; fi ;;
run)
  OUT=${OUT:-/tmp/out}
  mkdir -p "$OUT" /tmp/nodebin
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"
  xz -dc .gpu/node.xz > /tmp/nodebin/node && chmod +x /tmp/nodebin/node && export PATH=/tmp/nodebin:$PATH
  xz -dc .gpu/dawn.node.xz > .gpu/node_modules/webgpu/dist/linux-x64.dawn.node
  mkdir -p .gpu/fashion-mnist && xz -dc .gpu/fashion-mnist.tar.xz | tar -x -C .gpu/fashion-mnist
  for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  # PyTorch first (it needs no Dawn), at the batches of the table, if this machine has it.
  if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    (timeout 120 python3 interop/bench_torch.py --device cuda --json --models lenet || true) > "$OUT/torch_cuda_lenet.json"
    (timeout 200 python3 interop/bench_torch.py --device cuda --json --batch-size 128 --models alexnet,vgg11-8,nin,googlenet || true) > "$OUT/torch_cuda_b128.json"
  else
    echo "no python3 torch with CUDA here: PyTorch CUDA columns from docs/gpu/README.md's earlier run" | tee "$OUT/torch_cuda.txt"
  fi
  cd .gpu
  for m in lenet alexnet vgg11-8 nin googlenet; do
    b=128; [ $m = lenet ] && b=256
    req() { echo "{\"model\":\"$m\",\"backend\":\"webgpu\",\"impl\":\"$1\",\"batchSize\":$b,\"warmup\":2,\"steps\":5,\"budgetS\":45,\"profile\":$2}"; }
    timeout 90 node gpu.mjs row "$(req convnets true)" 2>/dev/null | tee -a "$OUT/rows.jsonl" || true
    timeout 90 node gpu.mjs row "$(req tfjs-layers false)" 2>/dev/null | tee -a "$OUT/rows.jsonl" || true
  done
  # The book's recipes end to end (10 epochs each) for as long as the time allows; each epoch's
  # line (test accuracy) is in metrics.jsonl as soon as it ends.
  for spec in lenet:240 alexnet:300; do
    m=${spec%:*}
    timeout "${spec#*:}" node gpu.mjs train --model "$m" --preset book --backend webgpu --data-dir fashion-mnist --out "$OUT/book_$m" 2>&1 | tail -n 20 | tee "$OUT/book_$m.log" || true
  done ;;
*) echo "usage: device-webgpu.sh prepare | run" >&2; exit 2 ;;
esac
