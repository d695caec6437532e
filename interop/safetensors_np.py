"""Read and write .safetensors with numpy only (no `safetensors` package).

Layout: u64 little-endian header length N, N bytes of UTF-8 JSON
{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}},
then the little-endian tensor bytes; offsets are relative to the end of the header.
"""
import json
import os
import struct
import tempfile

import numpy as np
import torch

# safetensors dtype tag -> little-endian numpy dtype
DTYPES = {
    'F64': np.dtype('<f8'), 'F32': np.dtype('<f4'), 'F16': np.dtype('<f2'),
    'I64': np.dtype('<i8'), 'I32': np.dtype('<i4'), 'I16': np.dtype('<i2'),
    'I8': np.dtype('i1'), 'U8': np.dtype('u1'), 'BOOL': np.dtype('?'),
}
_TAGS = {(dt.kind, dt.itemsize): tag for tag, dt in DTYPES.items()}

MAX_HEADER = 100 * 1024 * 1024


class SafetensorsError(ValueError):
    pass


def _to_numpy(value, name):
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().contiguous().numpy()
    arr = np.asarray(value)
    key = (arr.dtype.kind, arr.dtype.itemsize)
    if key not in _TAGS:
        raise SafetensorsError('tensor %r has dtype %s, which this writer does not support '
                               '(use one of %s)' % (name, arr.dtype, ', '.join(DTYPES)))
    return arr, _TAGS[key]


def save_file(tensors, path, metadata=None):
    """Write {name: torch.Tensor | np.ndarray} to `path` atomically (temp file + os.replace).

    Names are sorted, data is contiguous in that order, and the header is padded with
    spaces so the data starts on an 8-byte boundary.
    """
    header, chunks, offset = {}, [], 0
    if metadata is not None:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise SafetensorsError('__metadata__ must map str to str')
        header['__metadata__'] = dict(metadata)
    for name in sorted(tensors):
        if name == '__metadata__':
            raise SafetensorsError('"__metadata__" is reserved and cannot name a tensor')
        arr, tag = _to_numpy(tensors[name], name)
        data = np.ascontiguousarray(arr, dtype=DTYPES[tag]).tobytes()
        header[name] = {'dtype': tag, 'shape': list(arr.shape),
                        'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    blob = json.dumps(header, separators=(',', ':')).encode('utf-8')
    blob += b' ' * (-(8 + len(blob)) % 8)

    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.', suffix='.tmp',
                               dir=directory)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(struct.pack('<Q', len(blob)))
            f.write(blob)
            for data in chunks:
                f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def read_header(buf, path='<buffer>'):
    """Parse and validate the header; returns (header dict without metadata, metadata, data start)."""
    if len(buf) < 8:
        raise SafetensorsError('%s: %d bytes is too short for a safetensors file' % (path, len(buf)))
    (n,) = struct.unpack('<Q', buf[:8])
    if n > MAX_HEADER or 8 + n > len(buf):
        raise SafetensorsError('%s: header length %d does not fit in a %d-byte file'
                               % (path, n, len(buf)))
    try:
        header = json.loads(bytes(buf[8:8 + n]).decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as e:
        raise SafetensorsError('%s: header is not valid UTF-8 JSON (%s)' % (path, e)) from None
    if not isinstance(header, dict):
        raise SafetensorsError('%s: header must be a JSON object' % path)
    metadata = header.pop('__metadata__', None)
    start = 8 + n
    size = len(buf) - start
    spans = []
    for name, info in header.items():
        try:
            tag, shape, (begin, end) = info['dtype'], info['shape'], info['data_offsets']
        except (KeyError, TypeError, ValueError):
            raise SafetensorsError('%s: entry %r needs dtype, shape and data_offsets [begin, end]'
                                   % (path, name)) from None
        if tag not in DTYPES:
            raise SafetensorsError('%s: tensor %r has dtype %r; supported: %s'
                                   % (path, name, tag, ', '.join(DTYPES)))
        if not all(isinstance(d, int) and d >= 0 for d in shape):
            raise SafetensorsError('%s: tensor %r has a bad shape %r' % (path, name, shape))
        want = int(np.prod(shape, dtype=np.int64)) * DTYPES[tag].itemsize
        if not (0 <= begin <= end <= size) or end - begin != want:
            raise SafetensorsError('%s: tensor %r has data_offsets [%d, %d] but %s%s needs %d bytes '
                                   'in a %d-byte data section'
                                   % (path, name, begin, end, tag, shape, want, size))
        spans.append((begin, end, name))
    spans.sort()
    for (b0, e0, n0), (b1, _, n1) in zip(spans, spans[1:]):
        if b1 < e0:
            raise SafetensorsError('%s: tensors %r and %r overlap' % (path, n0, n1))
    return header, metadata, start


def load_numpy(path):
    """{name: np.ndarray (native byte order, writable)} and the metadata dict (or None)."""
    with open(path, 'rb') as f:
        buf = f.read()
    header, metadata, start = read_header(buf, path)
    out = {}
    for name, info in header.items():
        begin, end = info['data_offsets']
        dt = DTYPES[info['dtype']]
        arr = np.frombuffer(buf, dtype=dt, count=(end - begin) // dt.itemsize, offset=start + begin)
        out[name] = arr.astype(dt.newbyteorder('='), copy=True).reshape(info['shape'])
    return out, metadata


def load_file(path):
    """{name: torch.Tensor} from a .safetensors file."""
    arrays, _ = load_numpy(path)
    return {name: torch.from_numpy(arr) for name, arr in arrays.items()}


def load_metadata(path):
    return load_numpy(path)[1]
