#!/usr/bin/python3
"""PyTorch CPU comparator for `pnpm bench`: training and inference images/s per model.

Each model runs in its own child process so that its peak RSS (getrusage ru_maxrss)
is its own; this driver never imports torch.
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

DEFAULT_MODELS = 'lenet,alexnet,vgg11-8,nin,googlenet'
# model -> (input size, batch size); models absent here use seed_nets.input_size and 32
SETTINGS = {'lenet': (28, 256), 'lenet-relu': (28, 256), 'googlenet': (96, 32)}
BIG_BATCH, BIG_SIZE = 32, 224


def steps(model, quick):
    """(warm-up steps, timed steps)."""
    small = model.startswith('lenet')
    if quick:
        return (5, 20) if small else (2, 3)
    return (10, 50) if small else (3, 10)


def run_one(model, batch_size, quick, threads, device='cpu'):
    """Runs in the child: returns one result row."""
    import resource
    import statistics
    import time

    import torch
    import seed_nets

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    size = SETTINGS.get(model, (seed_nets.input_size(model), BIG_BATCH))[0]
    net = seed_nets.build(model).to(device)
    x = torch.rand(batch_size, 1, size, size, device=device)
    y = torch.randint(0, 10, (batch_size,), device=device)

    def sync():
        if device.startswith('cuda'):
            torch.cuda.synchronize()

    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    warm, timed = steps(model, quick)

    def train_step():
        loss = loss_fn(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()

    def infer_step():
        with torch.no_grad():
            net(x).argmax(dim=1)

    def median_seconds(step):
        for _ in range(warm):
            step()
        sync()
        times = []
        for _ in range(timed):
            t = time.perf_counter()
            step()
            sync()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    net.train()
    train_s = median_seconds(train_step)
    net.eval()
    infer_s = median_seconds(infer_step)
    peak = torch.cuda.max_memory_allocated() if device.startswith('cuda') else \
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {'model': model, 'backend': device.split(':')[0], 'impl': 'pytorch', 'batchSize': batch_size,
            'inputSize': size, 'trainImgPerSec': batch_size / train_s,
            'inferImgPerSec': batch_size / infer_s, 'gflops': None, 'peakBytes': peak}


def native_peak(n, threads):
    """GFLOP/s of an n x n x n float32 product, best of 10: as a 1x1 convolution (oneDNN, the
    engine of PyTorch's conv layers) and as torch.mm (the BLAS this torch was built with)."""
    import time

    import torch

    torch.set_num_threads(threads)
    x, w = torch.rand(1, n, 32, n // 32), torch.rand(n, n, 1, 1)
    a, b = torch.rand(n, n), torch.rand(n, n)

    def best(fn):
        fn()
        times = []
        for _ in range(10):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return 2 * n ** 3 / min(times) / 1e9

    return {'size': n, 'threads': threads, 'conv1x1': best(lambda: torch.nn.functional.conv2d(x, w)),
            'mm': best(lambda: torch.mm(a, b))}


def parse(argv):
    p = argparse.ArgumentParser(prog='bench_torch.py', description=__doc__.splitlines()[0])
    p.add_argument('--models', default=DEFAULT_MODELS, help='comma-separated (default %(default)s)')
    p.add_argument('--quick', action='store_true', help='fewer steps: 2 warm-up + 3 timed '
                   '(lenet 5 + 20); default 3 + 10 (lenet 10 + 50)')
    p.add_argument('--json', action='store_true', help='print a JSON array of rows')
    p.add_argument('--batch-size', type=int, help='override every model\'s batch size')
    p.add_argument('--threads', type=int, default=2, help='torch.set_num_threads (default 2)')
    p.add_argument('--device', default='cpu', help='torch device: cpu (default) or cuda')
    p.add_argument('--peak', type=int, metavar='N',
                   help='print only the GFLOP/s of an N x N x N float32 product (N a multiple of 32), as JSON')
    p.add_argument('--child', help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    if args.peak is not None:
        if args.peak <= 0 or args.peak % 32:
            print('bench_torch.py: --peak %d: N must be a positive multiple of 32 (the 1x1 convolution '
                  'runs on a 32 x N/32 image)' % args.peak, file=sys.stderr)
            return 2
        print(json.dumps(native_peak(args.peak, args.threads)))
        return 0
    if args.child:
        batch = args.batch_size or SETTINGS.get(args.child, (None, BIG_BATCH))[1]
        stdout, sys.stdout = sys.stdout, sys.stderr  # stray prints must not break the JSON
        try:
            row = run_one(args.child, batch, args.quick, args.threads, args.device)
        except ValueError as e:  # unknown model name
            print('bench_torch.py: %s' % e, file=sys.stderr)
            return 1
        stdout.write(json.dumps(row) + '\n')
        return 0

    rows, failed = [], []
    for model in [m.strip() for m in args.models.split(',') if m.strip()]:
        cmd = [sys.executable, os.path.abspath(__file__), '--child', model,
               '--threads', str(args.threads), '--device', args.device]
        if args.quick:
            cmd.append('--quick')
        if args.batch_size:
            cmd += ['--batch-size', str(args.batch_size)]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            failed.append(model)
            print('bench_torch.py: %s failed (exit %d); see the error above'
                  % (model, proc.returncode), file=sys.stderr)
            continue
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        if not args.json:
            r = rows[-1]
            print('%-10s %4d x %3d  train %9.1f img/s  infer %9.1f img/s  peak %6.0f MiB'
                  % (r['model'], r['batchSize'], r['inputSize'], r['trainImgPerSec'],
                     r['inferImgPerSec'], r['peakBytes'] / 2 ** 20), flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
