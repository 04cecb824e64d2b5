"""A small reader and writer for the safetensors format, with nothing but torch and NumPy.

The format (https://huggingface.co/docs/safetensors): an 8-byte little-endian unsigned length
N, then N bytes of UTF-8 JSON — for every tensor {"dtype", "shape", "data_offsets": [begin,
end]} (offsets relative to the end of the header) plus an optional "__metadata__" object of
string values — then the raw little-endian tensor bytes, row-major.

`write_safetensors` produces byte-reproducible files: tensors in sorted name order, JSON with
sorted keys and no spaces, the header padded with spaces to a multiple of 8 bytes, written to
a temporary file next to the target and renamed over it (so a crash never leaves a
half-written file under the real name).

`read_safetensors` checks the header thoroughly and raises `SafetensorsError` with a message
that says what was expected and what was found.
"""
import json
import os
import struct
import sys

import numpy as np
import torch

__all__ = ["SafetensorsError", "read_safetensors", "read_metadata", "write_safetensors"]

# safetensors dtype name -> (NumPy little-endian dtype, torch dtype)
_DTYPES = {
    "F64": ("<f8", torch.float64),
    "F32": ("<f4", torch.float32),
    "F16": ("<f2", torch.float16),
    "I64": ("<i8", torch.int64),
    "I32": ("<i4", torch.int32),
    "I16": ("<i2", torch.int16),
    "I8": ("i1", torch.int8),
    "U8": ("u1", torch.uint8),
    "BOOL": ("?", torch.bool),
}
_BY_TORCH = {tdt: name for name, (_, tdt) in _DTYPES.items()}

# The header is JSON; anything larger than this is certainly not a safetensors file.
_MAX_HEADER = 100 * 1024 * 1024


class SafetensorsError(ValueError):
    """The file is missing, truncated or not a valid safetensors file."""


class FixtureTensors(dict):
    """What a fixture script collects before `write_safetensors`: name -> tensor, each name once.

    Refuses to exist unless `reproducible_torch` was imported first: without its pins the bytes
    depend on the CPU (an import that slipped into a docstring once went unnoticed that way)."""

    def __init__(self):
        super().__init__()
        if "reproducible_torch" not in sys.modules:
            raise RuntimeError("a fixture script must `import reproducible_torch` before torch "
                               "(see Fixtures/reproducible_torch.py)")

    def put(self, name, t, dtype=torch.float32):
        """Stores `t` (a tensor or anything numpy takes) as `dtype`, detached and contiguous."""
        assert name not in self, name
        if not isinstance(t, torch.Tensor):
            t = torch.as_tensor(np.ascontiguousarray(t))
        self[name] = t.detach().to(dtype).contiguous().clone()

    def record(self, case, fn, inputs, names):
        """Runs fn(*inputs) with the inputs as leaves and backward with a random gy; stores the
        inputs, y, gy and every gradient as `case.<name>`, `case.g<name>`, `case.y`, `case.gy`."""
        leaves = [t.clone().requires_grad_(True) for t in inputs]
        y = fn(*leaves)
        gy = rand(*y.shape)
        y.backward(gy)
        for n, t, l in zip(names, inputs, leaves):
            self.put(f"{case}.{n}", t)
            self.put(f"{case}.g{n}", l.grad)
        self.put(f"{case}.y", y)
        self.put(f"{case}.gy", gy)
        return y


def rand(*shape):
    """Standard normal float32 values from torch's global generator."""
    return torch.randn(shape, dtype=torch.float32)


def write_safetensors(path, named, metadata=None):
    """Writes {name: tensor} to `path`.

    Float tensors are stored as F32 unless they are float64 (F64); integer and bool tensors
    keep their own dtype (int64 -> I64, ...). Pass tensors already converted if you want a
    particular dtype. `metadata` values are converted to strings, as the format requires.
    """
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    offset, blobs = 0, []
    for name in sorted(named):
        if name == "__metadata__":
            raise SafetensorsError("a tensor cannot be called __metadata__")
        t = named[name].detach().cpu().contiguous()
        if t.dtype not in _BY_TORCH:
            t = t.to(torch.float32)
        dtype = _BY_TORCH[t.dtype]
        blob = t.numpy().astype(_DTYPES[dtype][0]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    raw = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    directory = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(directory, "." + os.path.basename(path) + ".tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(struct.pack("<Q", len(raw)))
            f.write(raw)
            for blob in blobs:
                f.write(blob)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _read_header(f, path, size):
    if size < 8:
        raise SafetensorsError(f"{path}: {size} bytes is too short for a safetensors file "
                               "(expected an 8-byte header length first)")
    (n,) = struct.unpack("<Q", f.read(8))
    if n > _MAX_HEADER or 8 + n > size:
        raise SafetensorsError(f"{path}: header length {n} does not fit in a file of {size} bytes "
                               "(not a safetensors file?)")
    try:
        header = json.loads(f.read(n).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SafetensorsError(f"{path}: the header is not valid JSON ({e})") from None
    if not isinstance(header, dict):
        raise SafetensorsError(f"{path}: expected the header to be a JSON object, got {type(header).__name__}")
    return header, 8 + n


def read_metadata(path):
    """Returns the "__metadata__" dictionary of the file (empty if it has none)."""
    _check_exists(path)
    with open(path, "rb") as f:
        header, _ = _read_header(f, path, os.path.getsize(path))
    return dict(header.get("__metadata__") or {})


def _check_exists(path):
    if not os.path.exists(path):
        raise SafetensorsError(f"{path}: no such file")
    if os.path.isdir(path):
        raise SafetensorsError(f"{path}: is a directory, expected a .safetensors file")


def read_safetensors(path):
    """Reads `path` -> {name: torch tensor} (names in file order); tensors are copies."""
    _check_exists(path)
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        header, _ = _read_header(f, path, size)
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        except (TypeError, KeyError, ValueError):
            raise SafetensorsError(f"{path}: tensor {name!r}: expected dtype, shape and data_offsets "
                                   f"[begin, end], got {info!r}") from None
        if dtype not in _DTYPES:
            raise SafetensorsError(f"{path}: tensor {name!r} has dtype {dtype}; this reader knows "
                                   + ", ".join(_DTYPES))
        if not (isinstance(shape, list) and all(isinstance(d, int) and d >= 0 for d in shape)):
            raise SafetensorsError(f"{path}: tensor {name!r}: shape {shape!r} is not a list of sizes")
        npdt = np.dtype(_DTYPES[dtype][0])
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin <= end <= len(data)):
            raise SafetensorsError(f"{path}: tensor {name!r}: data_offsets [{begin}, {end}] lie outside "
                                   f"the {len(data)} data bytes (file truncated?)")
        if end - begin != count * npdt.itemsize:
            raise SafetensorsError(f"{path}: tensor {name!r}: shape {shape} of {dtype} needs "
                                   f"{count * npdt.itemsize} bytes, data_offsets give {end - begin}")
        arr = np.frombuffer(data, dtype=npdt, count=count, offset=begin).reshape(shape)
        out[name] = torch.from_numpy(arr.astype(arr.dtype.newbyteorder("="), copy=True))
    return out
