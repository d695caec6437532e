"""Fashion-MNIST from the IDX files (gzipped or not), with gzip + numpy only."""
import gzip
import os

import numpy as np

DEFAULT_DIR = '/usr/share/datasets/fashion-mnist'
FILES = {
    'train': ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    'test': ('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
}
_IDX_DTYPES = {0x08: np.dtype('u1'), 0x09: np.dtype('i1'), 0x0B: np.dtype('>i2'),
               0x0C: np.dtype('>i4'), 0x0D: np.dtype('>f4'), 0x0E: np.dtype('>f8')}


def read_idx(path):
    """An IDX file (optionally .gz) as a numpy array."""
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        buf = f.read()
    if len(buf) < 4 or buf[0] != 0 or buf[1] != 0 or buf[2] not in _IDX_DTYPES:
        raise ValueError('%s is not an IDX file (bad magic %r)' % (path, bytes(buf[:4])))
    dt, ndim = _IDX_DTYPES[buf[2]], buf[3]
    dims = np.frombuffer(buf, dtype='>u4', count=ndim, offset=4).astype(np.int64)
    count = int(np.prod(dims))
    offset = 4 + 4 * ndim
    if len(buf) != offset + count * dt.itemsize:
        raise ValueError('%s: header says %s (%d bytes of data) but the file holds %d'
                         % (path, dims.tolist(), count * dt.itemsize, len(buf) - offset))
    return np.frombuffer(buf, dtype=dt, count=count, offset=offset).reshape(dims).astype(
        dt.newbyteorder('='))


def _find(data_dir, stem):
    for name in (stem + '.gz', stem):
        path = os.path.join(data_dir, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError('%s(.gz) not found in %s; install it with '
                            '`apt-get install -y dataset-fashion-mnist` or pass --data-dir'
                            % (stem, data_dir))


def load(split, data_dir=DEFAULT_DIR):
    """(images float32 [N,1,28,28] in [0,1], labels int64 [N]) for split 'train' or 'test'."""
    images_stem, labels_stem = FILES[split]
    images = read_idx(_find(data_dir, images_stem))
    labels = read_idx(_find(data_dir, labels_stem))
    if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise ValueError('%s split: images %s and labels %s do not match'
                         % (split, images.shape, labels.shape))
    x = (images.astype(np.float32) / np.float32(255))[:, None, :, :]
    return x, labels.astype(np.int64)
