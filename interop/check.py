#!/usr/bin/python3
"""Cross-check tool: runs the seed's PyTorch networks for the TypeScript tests.

Subcommands: forward, init, eval, train, summary (see README.md). stdout carries JSON
only; diagnostics go to stderr and failures exit non-zero.
"""
import argparse
import hashlib
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import fashion_mnist  # noqa: E402
import seed_nets  # noqa: E402
from safetensors_np import load_file, save_file  # noqa: E402

_STDOUT = sys.stdout


class CheckError(Exception):
    """A user-facing failure: printed to stderr, exit status 1."""


def emit(obj):
    _STDOUT.write(json.dumps(obj) + '\n')
    _STDOUT.flush()


def build(name):
    try:
        return seed_nets.build(name)
    except ValueError as e:
        raise CheckError(str(e)) from None


def load_weights(net, model, path):
    """load_state_dict(strict=True), with an error that lists what does not match."""
    state = load_file(path)
    own = net.state_dict()
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    mismatched = ['%s: file %s, model %s' % (k, list(state[k].shape), list(own[k].shape))
                  for k in sorted(set(own) & set(state)) if state[k].shape != own[k].shape]
    if missing or unexpected or mismatched:
        lines = ['%s does not fit model %r (%d tensors in file, %d in model):'
                 % (path, model, len(state), len(own))]
        if missing:
            lines.append('  missing from file: ' + ', '.join(missing))
        if unexpected:
            lines.append('  unexpected in file: ' + ', '.join(unexpected))
        if mismatched:
            lines.append('  shape mismatch: ' + '; '.join(mismatched))
        lines.append('  expected keys: ' + ', '.join(own))
        raise CheckError('\n'.join(lines))
    net.load_state_dict(state, strict=True)
    return net


def resize(x, size):
    if x.shape[-1] == size and x.shape[-2] == size:
        return x
    return F.interpolate(x, size=(size, size), mode='bilinear', align_corners=False)


def predict(net, x, size, batch_size):
    """Argmax predictions (int64 numpy) of `net` in eval mode over NCHW numpy images."""
    net.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(x), batch_size):
            xb = resize(torch.from_numpy(x[i:i + batch_size]), size)
            out.append(net(xb).argmax(dim=1))
    return torch.cat(out).numpy()


def param_count(module):
    return sum(p.numel() for p in module.parameters())


# ------------------------------------------------------------------ subcommands

def cmd_forward(args):
    net = load_weights(build(args.model), args.model, args.weights)
    net.eval()
    inputs = load_file(args.input)
    if 'x' not in inputs:
        raise CheckError('%s has no tensor named "x" (found: %s)' % (args.input, ', '.join(inputs)))
    dtype = torch.float64 if args.double else torch.float32
    net.to(dtype)
    x = inputs['x'].to(dtype)
    if x.dim() != 4:
        raise CheckError('x must be NCHW, got shape %s' % list(x.shape))
    if args.grad and not args.out:
        raise CheckError('--grad needs --out OUT.safetensors to write the gradients to')
    with torch.set_grad_enabled(args.grad):
        logits = net(x)
        result = {'logits': logits.detach()}
        if args.grad:
            if 'g' not in inputs:
                raise CheckError('--grad needs a tensor "g" shaped like the logits %s in %s'
                                 % (list(logits.shape), args.input))
            g = inputs['g'].to(dtype)
            if g.shape != logits.shape:
                raise CheckError('g has shape %s but the logits have shape %s'
                                 % (list(g.shape), list(logits.shape)))
            net.zero_grad(set_to_none=True)
            (logits * g).sum().backward()
            for name, p in net.named_parameters():
                result['grad.' + name] = p.grad
    report = {'model': args.model, 'logitsShape': list(logits.shape),
              'dtype': 'float64' if args.double else 'float32'}
    if args.out:
        save_file(result, args.out, metadata={'model': args.model})
        report.update(out=args.out, tensors=sorted(result))
    else:
        report['logits'] = logits.detach().tolist()
    emit(report)


def cmd_init(args):
    torch.manual_seed(args.seed)
    net = build(args.model)
    state = net.state_dict()
    save_file(state, args.out, metadata={'model': args.model, 'seed': str(args.seed)})
    emit({'model': args.model, 'seed': args.seed, 'out': args.out,
          'params': param_count(net), 'keys': list(state)})


def cmd_eval(args):
    net = load_weights(build(args.model), args.model, args.weights)
    size = args.input_size or seed_nets.input_size(args.model)
    x, y = fashion_mnist.load('test', args.data_dir)
    pred = predict(net, x, size, args.batch_size)
    correct = int((pred == y).sum())
    emit({'model': args.model, 'inputSize': size, 'correct': correct, 'total': len(y),
          'accuracy': correct / len(y),
          'predictions_sha256': hashlib.sha256(pred.astype(np.uint8).tobytes()).hexdigest()})


def cmd_train(args):
    torch.manual_seed(args.seed)  # only dropout draws from it: the weights come from --weights
    net = load_weights(build(args.model), args.model, args.weights)
    size = args.input_size or seed_nets.input_size(args.model)
    x_train, y_train = fashion_mnist.load('train', args.data_dir)
    if args.limit_train:
        x_train, y_train = x_train[:args.limit_train], y_train[:args.limit_train]
    x_test, y_test = fashion_mnist.load('test', args.data_dir)
    x_train, y_train = torch.from_numpy(x_train), torch.from_numpy(y_train)
    order = load_file(args.order)
    if args.optimizer == 'adam':
        opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    else:
        opt = torch.optim.SGD(net.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()

    for epoch in range(args.epochs):
        key = 'epoch%d' % epoch
        if key not in order:
            raise CheckError('%s has no tensor %r (found: %s); it needs one per epoch'
                             % (args.order, key, ', '.join(sorted(order))))
        idx = order[key].long().flatten()
        if len(idx) and (int(idx.min()) < 0 or int(idx.max()) >= len(y_train)):
            raise CheckError('%s[%s] holds indices outside [0, %d)' % (args.order, key, len(y_train)))
        start = time.time()
        net.train()
        loss_sum, correct, n, batches = 0.0, 0, 0, 0
        for i in range(0, len(idx), args.batch_size):
            b = idx[i:i + args.batch_size]
            xb, yb = resize(x_train[b], size), y_train[b]
            y_hat = net(xb)
            loss = loss_fn(y_hat, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item()
            correct += int((y_hat.argmax(dim=1) == yb).sum())
            n += len(b)
            batches += 1
        test_acc = float((predict(net, x_test, size, 256) == y_test).mean())
        emit({'epoch': epoch + 1, 'loss': loss_sum / max(batches, 1), 'trainAcc': correct / max(n, 1),
              'testAcc': test_acc, 'steps': batches, 'seconds': round(time.time() - start, 3)})
    if args.out:
        save_file(net.state_dict(), args.out, metadata={'model': args.model})


def summarize(model, size=None):
    """Output shape and parameter count of each named child for a [1, 1, size, size] input."""
    net = build(model).eval()
    size = size or seed_nets.input_size(model)
    x = torch.rand(1, 1, size, size)
    layers = []
    with torch.no_grad():
        for name, blk in net.named_children():
            if isinstance(net, seed_nets.AlexNet) and name == 'fc':
                x = x.view(x.shape[0], -1)  # AlexNet.forward flattens between conv and fc
            x = blk(x)
            layers.append({'name': name, 'outputShape': list(x.shape), 'params': param_count(blk)})
    return {'model': model, 'inputShape': [1, 1, size, size], 'params': param_count(net),
            'layers': layers}


def cmd_summary(args):
    emit(summarize(args.model, args.input_size))


# ------------------------------------------------------------------ CLI

def parser():
    p = argparse.ArgumentParser(prog='check.py', description=__doc__.splitlines()[0])
    p.add_argument('--threads', type=int, default=2, help='torch.set_num_threads (default 2)')
    sub = p.add_subparsers(dest='command', required=True)
    models = ', '.join(seed_nets.MODELS)

    def model_arg(s):
        s.add_argument('--model', required=True, help=models)

    s = sub.add_parser('forward', help='logits (and parameter gradients) for an input')
    model_arg(s)
    s.add_argument('--weights', required=True)
    s.add_argument('--input', required=True, help='safetensors with x (NCHW) and, for --grad, g')
    s.add_argument('--grad', action='store_true', help='also write grad.<param> of sum(logits*g)')
    s.add_argument('--double', action='store_true', help='compute in float64')
    s.add_argument('--out', help='safetensors to write logits (+ grads) to; else JSON')
    s.set_defaults(func=cmd_forward)

    s = sub.add_parser('init', help='PyTorch default init under torch.manual_seed')
    model_arg(s)
    s.add_argument('--seed', type=int, required=True)
    s.add_argument('--out', required=True)
    s.set_defaults(func=cmd_init)

    s = sub.add_parser('eval', help='accuracy on the Fashion-MNIST test split')
    model_arg(s)
    s.add_argument('--weights', required=True)
    s.add_argument('--data-dir', default=fashion_mnist.DEFAULT_DIR)
    s.add_argument('--batch-size', type=int, default=256)
    s.add_argument('--input-size', type=int, help='resize side (default: the seed\'s for the model)')
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser('train', help='train_ch5 from given weights in a given data order')
    model_arg(s)
    s.add_argument('--weights', required=True, help='initial weights')
    s.add_argument('--order', required=True, help='safetensors with int32 epoch0, epoch1, ...')
    s.add_argument('--lr', type=float, required=True)
    s.add_argument('--batch-size', type=int, required=True)
    s.add_argument('--epochs', type=int, required=True)
    s.add_argument('--optimizer', choices=('adam', 'sgd'), default='adam')
    s.add_argument('--limit-train', type=int, help='use only the first N training images')
    s.add_argument('--data-dir', default=fashion_mnist.DEFAULT_DIR)
    s.add_argument('--input-size', type=int, help='resize side (default: the seed\'s for the model)')
    s.add_argument('--seed', type=int, default=0, help='torch seed for dropout (default 0)')
    s.add_argument('--out', help='write the trained weights here')
    s.set_defaults(func=cmd_train)

    s = sub.add_parser('summary', help='per-child output shapes and parameter counts')
    model_arg(s)
    s.add_argument('--input-size', type=int, help='default: the seed\'s for the model')
    s.set_defaults(func=cmd_summary)
    return p


def main(argv=None):
    sys.stdout = sys.stderr  # anything but our JSON (library prints, warnings) goes to stderr
    args = parser().parse_args(argv)
    torch.set_num_threads(args.threads)
    try:
        args.func(args)
    except (CheckError, ValueError, OSError, RuntimeError) as e:
        print('check.py %s: error: %s' % (args.command, e), file=sys.stderr)
        return 1
    finally:
        sys.stdout = _STDOUT
    return 0


if __name__ == '__main__':
    sys.exit(main())
