#!/bin/bash
# WebGPU on a lent GPU machine (see docs/gpu/README.md). Those machines start bare: no Node, no
# node_modules, no Vulkan loader, no Fashion-MNIST. `prepare` (here) bundles what they need into
# .gpu/, .gl/ and .fmnist/ (xz-compressed: carried paths may total 64 MiB). There:
#   bash apps/bench/scripts/device-webgpu.sh run   (carry .gpu .gl): PyTorch CUDA where python3
#     has it, the filter-gradient sweep and the bench rows (convnets' with its --profile
#     gpuProfile: dispatches, submits, CPU issue ms, GPU ms per program), in $OUT;
#   bash apps/bench/scripts/device-webgpu.sh book  (carry .gpu .gl .fmnist): the `book` preset of
#     LeNet, then AlexNet, on webgpu with the CLI, 240 s each (resumable);
#   bash apps/bench/scripts/device-webgpu.sh probe (carry .gpu .gl .fmnist), about 6 minutes:
#     PyTorch CUDA at the table's batches, the CLI training LeNet on auto (webgpu) for two epochs,
#     then profiled convnets rows (GPU ms per program) and the input-gradient variants, most
#     telling first, until PROBE_S seconds (default 300) have passed since it started;
#   bash apps/bench/scripts/device-webgpu.sh cli   (carry .gpu .gl .fmnist): the convnets CLI
#     itself, `convnets train` as `pnpm convnets train` runs it (auto backend), then AlexNet's
#     seed preset bounded to one epoch on a subset; their output (epoch lines) and run files in $OUT.
set -euo pipefail
cd "$(dirname "$0")/../../.."

# Node, the Vulkan loader and NVIDIA's ICD on the bare machine; Dawn and the bundles unpacked.
device_setup() {
  OUT=${OUT:-/tmp/out}
  mkdir -p "$OUT" /tmp/nodebin
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"
  xz -dc .gpu/node.xz > /tmp/nodebin/node && chmod +x /tmp/nodebin/node && export PATH=/tmp/nodebin:$PATH
  for f in .gpu/*.xz .gpu/node_modules/webgpu/dist/*.xz; do [ "$f" = .gpu/node.xz ] || xz -dkf "$f"; done
  for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
}

unpack_fmnist() {
  mkdir -p /tmp/fashion-mnist
  for f in .fmnist/*.xz; do xz -dc "$f" > "/tmp/fashion-mnist/$(basename "$f" .xz)"; done
}

# PyTorch CUDA at the table's batches (#21), where this machine's python3 has torch with CUDA.
torch_cuda() {
  if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    (timeout 60 python3 interop/bench_torch.py --device cuda --json --quick --models lenet || true) > "$OUT/torch_cuda_lenet.json"
    (timeout 120 python3 interop/bench_torch.py --device cuda --json --quick --batch-size 128 --models alexnet,vgg11-8,nin,googlenet || true) > "$OUT/torch_cuda_b128.json"
  else
    echo "no python3 torch with CUDA on this machine" | tee "$OUT/torch_cuda.txt"
  fi
}

# The adapter's features and limits, and those of tfjs-webgpu's device (an f16 / tensor-core path
# needs shader-f16 and chromium-experimental-subgroup-matrix); then the five networks' training
# steps on the GPU against the cpu backend (steps.jsonl: numbers before speed). Run from .gpu.
adapter() {
  timeout 60 node webgpu-adapter.mjs > "$OUT/adapter.json" 2>> "$OUT/adapter.err" || echo "webgpu-adapter: exit $?" >> "$OUT/adapter.err"
  timeout 120 node webgpu-steps.mjs > "$OUT/steps.jsonl" 2>> "$OUT/steps.err" || echo "webgpu-steps: exit $?" >> "$OUT/steps.err"
}

case "${1:-}" in
prepare)
  rm -rf .gpu .fmnist && mkdir -p .gpu/node_modules/webgpu/dist .gl .fmnist
  web=$(dirname "$(node -e "console.log(require.resolve('webgpu/package.json', { paths: ['packages/backends'] }))")")
  cp "$web/index.js" "$web/package.json" .gpu/node_modules/webgpu/ && xz -T2 -6 -c "$web/dist/linux-x64.dawn.node" > .gpu/node_modules/webgpu/dist/linux-x64.dawn.node.xz
  esbuild=$(node -e "console.log(require.resolve('esbuild', { paths: ['packages/backends'] }))")
  banner="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
  # mainFields: tfjs-core's ESM build for every importer (its CJS main beside it makes a second
  # tfjs whose tensors have no ops: the CLI's first cast fails).
  bundle() { node -e "require('$esbuild').buildSync({ entryPoints: ['$1'], outfile: '$2', bundle: true, platform: 'node', format: 'esm', target: 'node20', conditions: ['@convnets/source'], ${3:-} external: ['webgpu'], banner: { js: \"$banner\" }, logLevel: 'error' })" && xz -T2 -6 "$2"; }
  bundle packages/backends/scripts/filter-grad-bench.ts .gpu/filter-grad-bench.mjs
  bundle apps/bench/scripts/webgpu-row.ts .gpu/webgpu-row.mjs
  bundle apps/bench/scripts/webgpu-adapter.ts .gpu/webgpu-adapter.mjs
  bundle apps/bench/scripts/webgpu-steps.ts .gpu/webgpu-steps.mjs "mainFields: ['module', 'main'],"
  bundle apps/bench/scripts/webgpu-conv-ab.ts .gpu/webgpu-conv-ab.mjs "mainFields: ['module', 'main'],"
  bundle apps/trainer/src/cli.ts .gpu/convnets.mjs "mainFields: ['module', 'main'],"
  xz -T2 -1 -c "$(readlink -f "$(command -v node)")" > .gpu/node.xz
  data=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    if [ -f "$data/$f.gz" ]; then gzip -dc "$data/$f.gz"; else cat "$data/$f"; fi | xz -T2 -6 > ".fmnist/$f.xz"
  done
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  mkdir -p /tmp/amd64/partial && apt-get $o update >/dev/null && (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
  for d in .gpu .gl .fmnist; do grep -qx "/$d/" .git/info/exclude || printf '/%s/\n' "$d" >> .git/info/exclude; done
  du -shc .gpu .gl .fmnist ;;
run)
  device_setup
  torch_cuda
  cd .gpu
  adapter
  REPS=3 timeout 150 node filter-grad-bench.mjs webgpu '[[256,28,28,1,5,6,1,2],[256,14,14,6,5,16,1,0],[128,224,224,1,11,96,4,1],[128,26,26,96,5,256,1,2],[128,12,12,256,3,384,1,1],[128,224,224,1,3,8,1,1],[128,112,112,8,3,16,1,1],[128,56,56,32,3,32,1,1],[128,14,14,64,3,64,1,1],[128,54,54,96,1,96,1,0],[128,96,96,1,7,64,2,3],[128,24,24,64,3,192,1,1],[128,12,12,96,3,128,1,1]]' 2>&1 | grep -v maxDynamic | tee "$OUT/filter_grad.txt"
  timeout 120 node webgpu-conv-ab.mjs 128 2>&1 | grep -v maxDynamic | tee "$OUT/conv_ab.txt" || true
  for m in lenet alexnet vgg11-8 nin googlenet; do
    b=128; [ $m = lenet ] && b=256
    # convnets' row carries --profile's gpuProfile (#21): dispatches, submits, CPU issue ms, GPU ms per program.
    req() { echo "{\"model\":\"$m\",\"backend\":\"${3:-webgpu}\",\"impl\":\"$1\",\"batchSize\":$b,\"warmup\":2,\"steps\":5,\"budgetS\":60${2:-}}"; }
    timeout 100 node webgpu-row.mjs "$(req convnets ',"profile":true')" 2>/dev/null | tee -a "$OUT/rows.jsonl" || true
    timeout 100 node webgpu-row.mjs "$(req convnets)" stock-conv 2>/dev/null | tee -a "$OUT/rows.jsonl" || true
    timeout 100 node webgpu-row.mjs "$(req convnets)" gemm-forward 2>/dev/null | tee -a "$OUT/rows.jsonl" || true
    timeout 100 node webgpu-row.mjs "$(req tfjs-layers)" 2>/dev/null | tee -a "$OUT/rows.jsonl" || true
    timeout 100 node webgpu-row.mjs "$(req tfjs-layers '' webgpu-stock)" 2>/dev/null | tee -a "$OUT/rows.jsonl" || true
  done ;;
probe)
  device_setup
  start=$SECONDS
  unpack_fmnist
  torch_cuda
  # The CLI as a user runs it (auto: webgpu on this machine), two epochs of LeNet's quick preset.
  echo '$ convnets train --epochs 2' > "$OUT/cli_lenet.txt"
  (cd .gpu && timeout 90 node convnets.mjs train --epochs 2 --data-dir /tmp/fashion-mnist --out /tmp/runs/lenet) >> "$OUT/cli_lenet.txt" 2>&1 || echo "exit $?" >> "$OUT/cli_lenet.txt"
  cd .gpu
  adapter
  # convnets' convolution kernels vs tfjs-webgpu's, layer by layer, at the networks' batch.
  timeout 90 node webgpu-conv-ab.mjs 128 2>&1 | grep -v maxDynamic | tee "$OUT/conv_ab.txt" || true
  row() {
    if [ $((SECONDS - start)) -ge "${PROBE_S:-300}" ]; then echo "not run (PROBE_S): $*" >> "$OUT/probe_skipped.txt"; return; fi
    m=$1; impl=$2; shift 2; b=128; [ "$m" = lenet ] && b=256
    be=webgpu; [ "${1:-}" = stock-tfjs ] && { be=webgpu-stock; shift; }
    timeout 60 node webgpu-row.mjs "{\"model\":\"$m\",\"backend\":\"$be\",\"impl\":\"$impl\",\"batchSize\":$b,\"warmup\":1,\"steps\":3,\"budgetS\":40,\"skipInfer\":true,\"profile\":true}" "$@" 2>>"$OUT/probe.err" >> "$OUT/probe.jsonl" || echo "{\"failed\":\"$m $impl $*\"}" >> "$OUT/probe.jsonl"
  }
  for m in lenet alexnet googlenet nin vgg11-8; do row $m convnets; done
  for m in lenet alexnet nin googlenet vgg11-8; do row $m tfjs-layers stock-tfjs; done
  for m in alexnet nin googlenet vgg11-8; do row $m convnets gemm-forward; row $m convnets stock-conv; done
  row lenet convnets submit-batch=200
  for m in lenet alexnet nin googlenet vgg11-8; do row $m tfjs-layers; done
  echo "probe: $((SECONDS - start)) s" | tee -a "$OUT/gpu.txt" ;;
cli|book)
  device_setup
  unpack_fmnist
  # stdout (the epoch lines) and stderr (progress, errors) both recorded; a run that fails or
  # times out still leaves what it printed, and the next one runs.
  train() {
    name=$1; shift
    echo "\$ convnets train $*" | tee "$OUT/cli_$name.txt"
    (cd .gpu && timeout 240 node convnets.mjs train --data-dir /tmp/fashion-mnist --out "/tmp/runs/$name" "$@") 2>&1 | tee -a "$OUT/cli_$name.txt" || true
    mkdir -p "$OUT/$name" && cp /tmp/runs/"$name"/*.json* /tmp/runs/"$name"/*.svg "$OUT/$name/" 2>/dev/null || true
  }
  if [ "${1:-}" = book ]; then
    # The book's recipes on webgpu (#21), each for the 240 s train() allows: metrics.jsonl has
    # every finished epoch's test accuracy; resume later with --out <dir> --resume.
    train book-lenet --model lenet --preset book --backend webgpu
    train book-alexnet --model alexnet --preset book --backend webgpu
  else
    train lenet-quick
    train alexnet-seed --model alexnet --preset seed --epochs 1 --limit-train 10000 --limit-test 2000
  fi
  grep -h '^\$ \|^backend\|^gpu\|^epoch [0-9]*,\|^done\|error' "$OUT"/cli_*.txt | tee "$OUT/cli_summary.txt" || true ;;
*) echo "usage: device-webgpu.sh prepare | probe | run | cli | book" >&2; exit 2 ;;
esac
