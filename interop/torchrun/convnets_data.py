"""Fashion-MNIST as convnets reads it (packages/data): the same subsets, scaling and resize.

- `stratified_indices(labels, limit)`: the class-stratified subset of convnets' `--limit-train`
  / `--limit-test` (the first examples of each class in file order; the first `limit % 10`
  classes get one more), so `convnets eval --limit-test N` scores the same images;
- `normalization(config)`: pixels/255, then (x - mean) / std when the run config asks for it;
- `resize(x, size)`: bilinear with half-pixel centres, F.interpolate(align_corners=False),
  which is what convnets' resizeBilinear(halfPixelCenters=true) computes.
"""
import numpy as np
import torch.nn.functional as F

import fashion_mnist

FASHION_MNIST_MEAN = 0.286
FASHION_MNIST_STD = 0.353


def stratified_indices(labels, limit, num_classes=10):
    if limit < 0:
        raise ValueError('limit must be a non-negative integer, got %r' % (limit,))
    quota = [limit // num_classes + (1 if c < limit % num_classes else 0) for c in range(num_classes)]
    out = []
    for i, c in enumerate(labels.tolist()):
        if len(out) >= limit:
            break
        if quota[c] > 0:
            quota[c] -= 1
            out.append(i)
    return np.array(out, dtype=np.int64)


def normalization(config):
    """(mean, std) from a run config's `normalize`, or None."""
    norm = config.get('normalize')
    if norm is True:
        return FASHION_MNIST_MEAN, FASHION_MNIST_STD
    if isinstance(norm, dict):
        if not norm.get('std', 0) > 0:
            raise ValueError('normalize.std must be positive, got %r' % (norm.get('std'),))
        return float(norm['mean']), float(norm['std'])
    return None


def load(split, data_dir, limit=None, norm=None):
    """(images float32 [N,1,28,28], labels int64 [N]) of a split, limited and normalised."""
    x, y = fashion_mnist.load(split, data_dir)
    if limit:
        keep = stratified_indices(y, limit)
        x, y = x[keep], y[keep]
    if norm is not None:
        mean, std = norm  # in float64 then rounded, as convnets computes it in JavaScript numbers
        x = ((x.astype(np.float64) - mean) / std).astype(np.float32)
    # A fresh array: numpy keeps odd strides on the size-1 channel axis through indexing, and
    # torch then takes the batch as channels-last, which the seed's FlattenLayer (view) refuses.
    out = np.empty(x.shape, dtype=np.float32)
    out[...] = x
    return out, y


def resize(x, size):
    if x.shape[-1] == size and x.shape[-2] == size:
        return x
    return F.interpolate(x, size=(size, size), mode='bilinear', align_corners=False)
