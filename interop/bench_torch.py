#!/usr/bin/python3
"""PyTorch CPU comparator for `pnpm bench`: training and inference images/s per model.

Each model runs in its own child process so that its peak RSS (getrusage ru_maxrss)
is its own; this driver never imports torch. `--serve` is the long-lived worker that
`pnpm bench` keeps for a network's rounds: JSON lines in, JSON lines out.
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
    """(warm-up steps, timed steps). --quick never times fewer than 5 steps after 3 warm-ups:
    oneDNN builds its primitives in the first steps."""
    small = model.startswith('lenet')
    if quick:
        return (5, 20) if small else (3, 5)
    return (10, 50) if small else (3, 10)


class Bench:
    """One model at one batch size: the net, its Adam and a random batch, kept between
    measurements so the weights, the optimizer state and oneDNN's primitives stay warm."""

    def __init__(self, model, batch_size, threads, device='cpu'):
        import torch
        import seed_nets

        torch.set_num_threads(threads)
        torch.manual_seed(0)
        self.torch, self.device = torch, device
        self.model, self.batch_size = model, batch_size
        self.size = SETTINGS.get(model, (seed_nets.input_size(model), BIG_BATCH))[0]
        self.net = seed_nets.build(model).to(device)
        self.x = torch.rand(batch_size, 1, self.size, self.size, device=device)
        self.y = torch.randint(0, 10, (batch_size,), device=device)
        self.opt = torch.optim.Adam(self.net.parameters(), lr=1e-3)
        self.loss_fn = torch.nn.CrossEntropyLoss()

    def sync(self):
        if self.device.startswith('cuda'):
            self.torch.cuda.synchronize()

    def train_step(self):
        loss = self.loss_fn(self.net(self.x), self.y)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()

    def infer_step(self):
        with self.torch.no_grad():
            self.net(self.x).argmax(dim=1)

    def times(self, step, warm, timed):
        """Seconds of each of `timed` steps after `warm` untimed ones."""
        import time

        for _ in range(warm):
            step()
        self.sync()
        out = []
        for _ in range(timed):
            t = time.perf_counter()
            step()
            self.sync()
            out.append(time.perf_counter() - t)
        return out

    def measure(self, warm, timed):
        """{trainTimes, inferTimes, peakBytes}: training then inference, each after `warm`."""
        import resource

        self.net.train()
        train = self.times(self.train_step, warm, timed)
        self.net.eval()
        infer = self.times(self.infer_step, warm, timed)
        peak = self.torch.cuda.max_memory_allocated() if self.device.startswith('cuda') else \
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return {'trainTimes': train, 'inferTimes': infer, 'peakBytes': peak}


def run_one(model, batch_size, warm, timed, threads, device='cpu'):
    """Runs in the child: returns one result row."""
    import statistics

    b = Bench(model, batch_size, threads, device)
    m = b.measure(warm, timed)
    return {'model': model, 'backend': device.split(':')[0], 'impl': 'pytorch', 'batchSize': batch_size,
            'inputSize': b.size, 'trainImgPerSec': batch_size / statistics.median(m['trainTimes']),
            'inferImgPerSec': batch_size / statistics.median(m['inferTimes']), 'gflops': None,
            'peakBytes': m['peakBytes'], 'warmup': warm, 'steps': timed}


def serve(threads, device, stdin, stdout):
    """The worker `pnpm bench` keeps for a network's rounds. Each stdin line is
    {"model", "batchSize", "warmup", "steps"}; each answer one stdout line,
    {"model", "batchSize", "inputSize", "warmup", "steps", "trainTimes", "inferTimes", "peakBytes"}
    (seconds; ru_maxrss so far), or {"error"}. The model of a (model, batch) asked again is the
    same one, trained on: its rounds share the weights, Adam's state and oneDNN's primitives."""
    benches = {}
    for line in stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            model, batch = str(req['model']), int(req['batchSize'])
            warm, timed = int(req['warmup']), int(req['steps'])
            if batch < 1 or warm < 0 or timed < 1:
                raise ValueError('batchSize and steps must be >= 1, warmup >= 0: %s' % line.strip())
            key = (model, batch)
            if key not in benches:
                benches[key] = Bench(model, batch, threads, device)
            b = benches[key]
            out = {'model': model, 'batchSize': batch, 'inputSize': b.size, 'warmup': warm, 'steps': timed}
            out.update(b.measure(warm, timed))
        except (ValueError, KeyError, TypeError, RuntimeError) as e:
            out = {'error': '%s: %s' % (type(e).__name__, e)}
        stdout.write(json.dumps(out) + '\n')
        stdout.flush()
    return 0


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
    p.add_argument('--quick', action='store_true', help='fewer steps: 3 warm-up + 5 timed '
                   '(lenet 5 + 20); default 3 + 10 (lenet 10 + 50)')
    p.add_argument('--warmup', type=int, metavar='N', help='warm-up steps (overrides the default)')
    p.add_argument('--steps', type=int, metavar='N', help='timed steps (overrides the default)')
    p.add_argument('--serve', action='store_true',
                   help='long-lived worker: one JSON request a stdin line, one JSON answer a stdout line')
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
    for flag, value, least in (('--warmup', args.warmup, 0), ('--steps', args.steps, 1)):
        if value is not None and value < least:
            print('bench_torch.py: %s %d: must be >= %d' % (flag, value, least), file=sys.stderr)
            return 2
    if args.serve:
        stdout, sys.stdout = sys.stdout, sys.stderr  # stray prints must not break the JSON lines
        return serve(args.threads, args.device, sys.stdin, stdout)
    if args.child:
        batch = args.batch_size or SETTINGS.get(args.child, (None, BIG_BATCH))[1]
        default_warm, default_timed = steps(args.child, args.quick)
        warm = default_warm if args.warmup is None else args.warmup
        timed = default_timed if args.steps is None else args.steps
        stdout, sys.stdout = sys.stdout, sys.stderr  # stray prints must not break the JSON
        try:
            row = run_one(args.child, batch, warm, timed, args.threads, args.device)
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
        for flag, value in (('--warmup', args.warmup), ('--steps', args.steps)):
            if value is not None:
                cmd += [flag, str(value)]
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
