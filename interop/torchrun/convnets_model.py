"""The seed's PyTorch module for a convnets run config (config.json).

`build(config)` maps convnets' model name and variant options to the seed's constructors in
seed_nets.py (same classes, same state_dict keys) and sizes the first Linear for the config's
input size, as convnets' own models do. `python3 convnets_model.py describe < config.json`
prints what it built (used by `convnets export` before it writes anything).
"""
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import torch
    from torch import nn
except ImportError as e:  # reported as one line by `describe`, and by train.py's caller
    torch = None
    _TORCH_ERROR = e

import seed_nets  # noqa: E402

SUPPORTED = ('lenet', 'alexnet', 'vgg11', 'nin', 'googlenet')


class ExportError(ValueError):
    """A config this export cannot reproduce in PyTorch."""


def _feature_count(features, size):
    """Values per example after `features` for a [1, 1, size, size] input."""
    with torch.no_grad():
        return int(features(torch.zeros(1, 1, size, size)).numel())


def _refit_linear(container, key, in_features):
    """Replace container[key] (a Linear) by one taking in_features, when its input differs."""
    old = container[key]
    if old.in_features != in_features:
        container[key] = nn.Linear(in_features, old.out_features)


def _lenet(options, size):
    variant = (options.get('activation', 'sigmoid'), options.get('pool', 'avg'))
    if variant == ('sigmoid', 'avg'):
        net = seed_nets.lenet()
    elif variant == ('relu', 'max'):
        net = seed_nets.lenet_relu()
    else:
        raise ExportError('lenet with activation %r and pool %r has no seed module; seed_nets.py has '
                          'sigmoid + avg (the book) and relu + max' % variant)
    _refit_linear(net, 7, _feature_count(net[:7], size))
    return net


def _alexnet(options, size):
    if options.get('lrn'):
        raise ExportError('alexnet with lrn has no seed module (the seed has no LocalResponseNorm); export it without lrn')
    net = seed_nets.AlexNet(hidden_layers=options.get('hiddenLayers', 2))
    _refit_linear(net.fc, 0, _feature_count(net.conv, size))
    return net


def _vgg11(ratio, size):
    r = ratio or 1

    def width(c):
        return int(math.floor(c / r))

    arch = [(1, 1, width(64)), (1, width(64), width(128)), (2, width(128), width(256)),
            (2, width(256), width(512)), (2, width(512), width(512))]
    side = size
    for _ in arch:
        side //= 2  # each block ends with MaxPool2d(2, 2)
    return seed_nets.vgg(arch, width(512) * side * side, width(4096))


def build(config):
    """A freshly initialised seed module for a convnets config (load the weights after)."""
    if torch is None:
        raise _TORCH_ERROR
    model = config.get('model')
    options = config.get('modelOptions') or {}
    size = int(config['inputSize'])
    ratio = config.get('widthRatio', options.get('widthRatio'))
    if model not in SUPPORTED:
        raise ExportError('%s has no PyTorch module in seed_nets.py (the seed chapter builds %s)'
                          % (model, ', '.join(SUPPORTED)))
    if ratio not in (None, 1) and model != 'vgg11':
        raise ExportError('widthRatio is vgg11-only, got %r for %s' % (ratio, model))
    if model == 'lenet':
        return _lenet(options, size)
    if model == 'alexnet':
        return _alexnet(options, size)
    if model == 'vgg11':
        return _vgg11(ratio, size)
    return seed_nets.nin() if model == 'nin' else seed_nets.googlenet()


def describe(config):
    net = build(config)
    state = net.state_dict()
    return {'model': config.get('model'), 'inputSize': int(config['inputSize']),
            'params': sum(p.numel() for p in net.parameters()),
            'state': [[name, list(t.shape)] for name, t in state.items()]}


def main(argv):
    """describe: read a config (or a list of configs) from stdin, print JSON. Exit 3: no torch; 2: bad config."""
    if argv[1:] != ['describe']:
        print('usage: python3 convnets_model.py describe < config.json', file=sys.stderr)
        return 2
    if torch is None:
        print('cannot import torch (%s)' % _TORCH_ERROR, file=sys.stderr)
        return 3
    try:
        configs = json.load(sys.stdin)
        result = [describe(c) for c in configs] if isinstance(configs, list) else describe(configs)
    except (ValueError, KeyError, TypeError, RuntimeError) as e:  # ExportError is a ValueError
        print(str(e), file=sys.stderr)
        return 2
    info = {'torch': torch.__version__, 'gloo': torch.distributed.is_available() and torch.distributed.is_gloo_available(),
            'cuda': torch.cuda.is_available(), 'python_version': list(sys.version_info[:2])}
    print(json.dumps({**info, 'models': result} if isinstance(configs, list) else {**info, **result}))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
