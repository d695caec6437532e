#!/usr/bin/env python3
"""Train this export's network with PyTorch DistributedDataParallel.

    torchrun --standalone --nproc_per_node N train.py [--epochs E] [--data-dir D] [--out O]

Reads config.json (the convnets run config: model, variant, preset, optimizer, schedule, batch
size, input size) and init.safetensors (the starting weights) from this script's directory.
Every process trains on its DistributedSampler shard; --batch-size is the global batch, split
evenly over the processes. Rank 0 writes O/model.safetensors, O/metrics.jsonl and O/config.json
(each atomically), which `convnets eval`, `convnets predict` and the web demo's Load take as
they are. gloo on CPU, nccl on CUDA. Runs without torchrun too, as one process.
"""
import argparse
import datetime
import json
import math
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
from torch.nn.parallel import DistributedDataParallel  # noqa: E402
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset  # noqa: E402

import convnets_data  # noqa: E402
import convnets_model  # noqa: E402
import fashion_mnist  # noqa: E402
from safetensors_np import load_file, save_file  # noqa: E402

RUN_FILES = ('model.safetensors', 'metrics.jsonl', 'config.json')


class TrainError(Exception):
    """A user-facing failure: one line on stderr, exit 1."""


def read_config(path):
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise TrainError('%s: cannot read the export\'s run config (%s); re-run `convnets export`' % (path, e)) from None


def parse_args(argv, config):
    train, data = config.get('train', {}), config.get('data') or {}
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--epochs', type=int, default=train.get('epochs'), help='default: the preset\'s (%(default)s)')
    p.add_argument('--batch-size', type=int, default=train.get('batchSize'),
                   help='global batch, split over the processes (default %(default)s)')
    p.add_argument('--lr', type=float, default=train.get('lr'), help='default %(default)s')
    p.add_argument('--data-dir', default=fashion_mnist.DEFAULT_DIR, help='Fashion-MNIST IDX files (default %(default)s)')
    p.add_argument('--out', default=os.path.join(HERE, 'run'), help='run directory (default %(default)s)')
    p.add_argument('--weights', default=os.path.join(HERE, 'init.safetensors'), help='starting weights (default %(default)s)')
    p.add_argument('--limit-train', type=int, default=data.get('limitTrain') or 0,
                   help='class-stratified training subset as convnets picks it; 0 = all (default %(default)s)')
    p.add_argument('--limit-test', type=int, default=data.get('limitTest') or 0,
                   help='class-stratified test subset; 0 = all (default %(default)s)')
    p.add_argument('--seed', type=int, default=config.get('seed', 0), help='sampler shuffling and dropout (default %(default)s)')
    p.add_argument('--threads', type=int, help='torch.set_num_threads per process (default: torch\'s)')
    p.add_argument('--log-steps', action='store_true', help='also write O/steps.jsonl: the global loss of every step')
    args = p.parse_args(argv)
    for name in ('epochs', 'batch_size', 'threads'):
        value = getattr(args, name)
        if value is not None and value < 1:
            p.error('--%s must be a whole number greater than 0, got %d' % (name.replace('_', '-'), value))
    for name in ('limit_train', 'limit_test', 'seed'):
        if getattr(args, name) < 0:
            p.error('--%s must not be negative' % name.replace('_', '-'))
    if not args.lr or args.lr <= 0:
        p.error('--lr must be a number greater than 0')
    return args


def check_out(out):
    """Refuses a run directory that already holds a run: runs are never overwritten."""
    taken = [f for f in RUN_FILES if os.path.exists(os.path.join(out, f))]
    if taken:
        raise TrainError('%s already holds a run (%s); pass a new --out or remove it' % (out, ', '.join(taken)))


def learning_rate_at(base, epoch, epochs, schedule):
    """convnets' learningRateAt: the epoch's rate from a constant, step or cosine schedule."""
    kind = (schedule or {}).get('kind', 'constant')
    if kind == 'constant':
        return base
    if kind == 'step':
        return base * schedule['gamma'] ** (epoch // schedule['stepSize'])
    if kind == 'cosine':
        low = schedule.get('minLr', 0)
        return base if epochs <= 0 else low + (base - low) * (1 + math.cos(math.pi * epoch / epochs)) / 2
    raise TrainError('config.json: unknown schedule kind %r (constant, step, cosine)' % (kind,))


def make_optimizer(params, train, lr):
    kind = train.get('optimizer')
    wd = train.get('weightDecay') or 0
    if kind == 'adam':  # convnets' Adam is torch.optim.Adam (betas 0.9/0.999, eps 1e-8, L2 added to g)
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    if kind == 'sgd':
        return torch.optim.SGD(params, lr=lr, momentum=train.get('momentum') or 0, weight_decay=wd)
    raise TrainError('config.json: unknown optimizer %r (adam, sgd)' % (kind,))


def write_atomic(path, text):
    fd, tmp = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.', suffix='.tmp', dir=os.path.dirname(path))
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load_weights(net, path, model):
    try:
        state = load_file(path)
    except (OSError, ValueError) as e:
        raise TrainError('cannot read weights %s (%s)' % (path, e)) from None
    own = net.state_dict()
    bad = sorted(set(own) ^ set(state)) + sorted(k for k in set(own) & set(state) if own[k].shape != state[k].shape)
    if bad:
        raise TrainError('%s does not fit %s: %d tensors missing, unexpected or mis-shaped (%s)'
                         % (path, model, len(bad), ', '.join(bad[:3])))
    net.load_state_dict(state, strict=True)


class Distributed:
    """This process's place in the job: torchrun's environment, or a lone process."""

    def __init__(self):
        self.world = int(os.environ.get('WORLD_SIZE', '1'))
        self.rank = int(os.environ.get('RANK', '0'))
        self.local_rank = int(os.environ.get('LOCAL_RANK', '0'))
        self.active = 'RANK' in os.environ and 'MASTER_ADDR' in os.environ
        cuda = torch.cuda.is_available()
        self.backend = 'nccl' if cuda else 'gloo'
        self.device = torch.device('cuda', self.local_rank) if cuda else torch.device('cpu')
        self._reduced = []

    def start(self):
        if self.device.type == 'cuda':
            torch.cuda.set_device(self.device)
        if self.active:
            dist.init_process_group(self.backend)

    def sum(self, tensor, op=None):
        if self.active:
            dist.all_reduce(tensor, op=op or dist.ReduceOp.SUM)
            # gloo's worker thread lets go of the tensor after the call returns. Were its reference
            # the last, freeing the tensor would need the GIL, which the main thread holds at exit
            # while it waits for that thread in ~ProcessGroupGloo: a deadlock (seen with torch 1.13,
            # the last rank to finish hung). Keeping every reduced tensor to the end rules it out.
            self._reduced.append(tensor)
        return tensor

    def stop(self):
        if self.active:
            dist.barrier()
            dist.destroy_process_group()


def evaluate(net, x, y, size, batch, job):
    """Accuracy over this rank's slice (rank::world) of the test set, summed over ranks."""
    net.eval()
    mine = torch.arange(job.rank, len(y), job.world)
    correct = torch.zeros((), dtype=torch.int64, device=job.device)
    with torch.no_grad():
        for i in range(0, len(mine), batch):
            b = mine[i:i + batch]
            xb = convnets_data.resize(x[b].to(job.device), size)
            correct += (net(xb).argmax(dim=1) == y[b].to(job.device)).sum()
    counts = job.sum(torch.stack([correct, torch.tensor(len(mine), device=job.device)]))
    net.train()
    return int(counts[0]) / max(int(counts[1]), 1)


def train_epoch(ddp, loader, opt, size, job):
    """One pass over this rank's shard; per-step [loss·n, n, correct], summed over ranks."""
    loss_fn = torch.nn.CrossEntropyLoss()
    sums = []
    for xb, yb in loader:
        xb = convnets_data.resize(xb.to(job.device, non_blocking=True), size)
        yb = yb.to(job.device, non_blocking=True)
        y_hat = ddp(xb)
        loss = loss_fn(y_hat, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            sums.append(torch.stack([loss.detach().double() * len(yb), torch.tensor(float(len(yb)), dtype=torch.float64, device=job.device),
                                     (y_hat.argmax(dim=1) == yb).sum().double()]))
    local = torch.stack(sums) if sums else torch.zeros(0, 3, dtype=torch.float64, device=job.device)
    return local, job.sum(local.clone())


def main(argv=None):
    config = read_config(os.path.join(HERE, 'config.json'))
    args = parse_args(argv, config)
    out = os.path.abspath(args.out)
    check_out(out)
    job = Distributed()
    if args.batch_size % job.world:
        raise TrainError('--batch-size %d is the global batch and must split evenly over %d processes; '
                         'pass a multiple of %d' % (args.batch_size, job.world, job.world))
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)  # dropout; the weights come from --weights
    model, size, train = config['model'], int(config['inputSize']), config.get('train', {})
    net = convnets_model.build(config)
    load_weights(net, args.weights, model)
    norm = convnets_data.normalization(config)
    x_train, y_train = convnets_data.load('train', args.data_dir, args.limit_train, norm)
    x_test, y_test = convnets_data.load('test', args.data_dir, args.limit_test, norm)

    job.start()  # from here on an error ends this process, and torchrun stops the others
    net.to(job.device)
    ddp = DistributedDataParallel(net, device_ids=[job.local_rank] if job.device.type == 'cuda' else None) if job.active else net
    opt = make_optimizer(ddp.parameters(), train, args.lr)
    per_rank = args.batch_size // job.world
    train_set = TensorDataset(torch.from_numpy(x_train), torch.from_numpy(y_train))
    sampler = DistributedSampler(train_set, num_replicas=job.world, rank=job.rank, shuffle=True, seed=args.seed)
    loader = DataLoader(train_set, batch_size=per_rank, sampler=sampler, pin_memory=job.device.type == 'cuda')
    x_test_t, y_test_t = torch.from_numpy(x_test), torch.from_numpy(y_test)

    run_config = dict(config, train=dict(train, epochs=args.epochs, batchSize=args.batch_size, lr=args.lr),
                      data={k: v for k, v in (('limitTrain', args.limit_train), ('limitTest', args.limit_test)) if v},
                      seed=args.seed, backend='pytorch-' + job.backend,
                      torch={'version': torch.__version__, 'worldSize': job.world, 'backend': job.backend},
                      createdAt=datetime.datetime.now(datetime.timezone.utc).isoformat().replace('+00:00', 'Z'))
    metadata = {'model': model, 'preset': str(config.get('preset', '')), 'inputSize': str(size),
                'modelOptions': json.dumps(dict(config.get('modelOptions') or {}, **({'widthRatio': config['widthRatio']} if config.get('widthRatio') else {})))}
    if job.rank == 0:
        os.makedirs(out, exist_ok=True)
        write_atomic(os.path.join(out, 'config.json'), json.dumps(run_config, indent=2) + '\n')
        print('%s (%s) on %d process%s (%s, %s): %d epochs, global batch %d, %s lr %g, input %dx%d, train %d, test %d -> %s'
              % (model, config.get('preset'), job.world, 'es' if job.world > 1 else '', job.backend, job.device.type,
                 args.epochs, args.batch_size, train.get('optimizer'), args.lr, size, size, len(y_train), len(y_test), out), flush=True)

    history, steps = [], []
    for epoch in range(args.epochs):
        lr = learning_rate_at(args.lr, epoch, args.epochs, train.get('schedule'))
        for group in opt.param_groups:
            group['lr'] = lr
        sampler.set_epoch(epoch)
        start = time.time()
        ddp.train()
        local, total = train_epoch(ddp, loader, opt, size, job)
        train_seconds = job.sum(torch.tensor(time.time() - start, dtype=torch.float64, device=job.device), dist.ReduceOp.MAX if job.active else None)
        print('rank %d/%d: epoch %d, %d steps, %d examples' % (job.rank, job.world, epoch + 1, len(local), int(local[:, 1].sum()) if len(local) else 0), flush=True)
        test_acc = evaluate(net, x_test_t, y_test_t, size, args.batch_size, job)
        step_loss = (total[:, 0] / total[:, 1]).tolist()
        seen = float(total[:, 1].sum())
        m = {'epoch': epoch + 1, 'loss': sum(step_loss) / max(len(step_loss), 1), 'trainAcc': float(total[:, 2].sum()) / max(seen, 1),
             'testAcc': test_acc, 'seconds': time.time() - start, 'examplesPerSec': seen / max(float(train_seconds), 1e-9), 'lr': lr}
        history.append(m)
        steps += [{'epoch': epoch + 1, 'step': i + 1, 'loss': v, 'examples': int(n)} for i, (v, n) in enumerate(zip(step_loss, total[:, 1].tolist()))]
        if job.rank == 0:
            print('epoch %d, loss %.4f, train acc %.3f, test acc %.3f, time %.1f sec, %d examples/sec'
                  % (m['epoch'], m['loss'], m['trainAcc'], m['testAcc'], m['seconds'], round(m['examplesPerSec'])), flush=True)
            save_file({k: v.detach().cpu() for k, v in net.state_dict().items()}, os.path.join(out, 'model.safetensors'),
                      metadata=dict(metadata, epoch=str(epoch + 1)))
            write_atomic(os.path.join(out, 'metrics.jsonl'), ''.join(json.dumps(h) + '\n' for h in history))
            if args.log_steps:
                write_atomic(os.path.join(out, 'steps.jsonl'), ''.join(json.dumps(s) + '\n' for s in steps))
    job.stop()
    if job.rank == 0:
        print('wrote %s/{model.safetensors,metrics.jsonl,config.json}' % out, flush=True)


if __name__ == '__main__':
    try:
        main()
    except (TrainError, convnets_model.ExportError, FileNotFoundError, ValueError) as e:
        print('train.py: error: %s' % e, file=sys.stderr)
        sys.exit(1)
