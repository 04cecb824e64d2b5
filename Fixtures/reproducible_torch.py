"""Import this before torch in every fixture script: the same bytes on every x86-64 CPU.

PyTorch's float32 results depend on the CPU it runs on. ATen dispatches its vectorised
kernels (sums, means, softmax, elementwise maths) to an AVX2 or an AVX-512 build, oneDNN and
NNPACK pick convolution kernels and blockings by instruction set and cache size, MKL picks
GEMM code paths by CPU, and the number of threads decides how reductions are split. Each
choice changes the order of float32 additions, so the same script wrote fixtures that
differed by an ulp between an AMD AVX2 and an Intel AVX-512 machine (31 of 219 tensors).

This module pins every one of those choices to a path that exists on every x86-64 CPU:

- ``ATEN_CPU_CAPABILITY=default``: ATen's baseline kernels instead of its AVX2/AVX-512 ones;
- ``MKL_CBWR=COMPATIBLE``: MKL's conditional numerical reproducibility, one code path on
  every CPU (Intel's and others');
- oneDNN and NNPACK off: convolutions go through ATen's im2col + MKL GEMM;
- one thread (OpenMP and ATen's intra-op pool);
- no float32 result from MKL's vector maths (VML). ATen hands sqrt, exp, log, log2, log10, the
  trigonometric functions, tanh, erf, erfc and erfinv of a contiguous tensor to MKL's VML in
  "high accuracy" mode, which is within 1 ulp but not correctly rounded, and whose last bit
  differs by CPU even under MKL_CBWR=COMPATIBLE: on an Intel Xeon with AVX-512, float32
  `torch.sqrt` of 100,000 uniform numbers was not correctly rounded in 16,336 of them, and
  Adam's and focal loss's (gamma = 0.5 is a square root) fixtures made there differed in the
  last bit from the AMD machine's. `CorrectlyRoundedVectorMaths` below, a dispatch mode entered
  on import, computes those operations of float32 tensors in float64 and rounds once. For sqrt
  that is the correctly rounded float32 result (IEEE's, the one Swift's `.squareRoot()` gives);
  for the others it is, but for one case in hundreds of millions, too. Every other operation
  runs as PyTorch runs it.

Every fixture script imports this first; `FixtureTensors` refuses to be made otherwise. (Once
the import had slipped into make_model_fixtures.py's docstring, and that file alone came out
different on AMD Zen 4 and Zen 5 machines.) make_model_fixtures.py computes its whole networks
in float64 on top of this, so that a GEMM's order of additions is rounded away when they are
stored as float32.

The fixtures are references, so speed does not matter here; the benchmark scripts do not
import this module. The variables are read when torch loads, so importing this after torch
would silently do nothing: it refuses instead.
"""
import os
import sys

if "torch" in sys.modules:
    raise ImportError("import reproducible_torch before torch: the CPU pins are read when torch loads")

os.environ["ATEN_CPU_CAPABILITY"] = "default"
os.environ["MKL_CBWR"] = "COMPATIBLE"
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"

import torch  # noqa: E402

torch.set_num_threads(1)
torch.backends.mkldnn.enabled = False
torch.backends.nnpack.set_flags(False)

assert torch.backends.cpu.get_cpu_capability() == "DEFAULT", torch.backends.cpu.get_cpu_capability()

from torch.utils._python_dispatch import TorchDispatchMode  # noqa: E402

# ATen's functions that go to MKL's VML (aten/src/ATen/cpu/vml.h, `IMPLEMENT_VML_MKL`); trunc is
# exact anyway. pow(x, 0.5) is ATen's sqrt kernel too.
VML_FUNCTIONS = {"sqrt", "exp", "log", "log2", "log10", "sin", "cos", "tan", "tanh",
                 "asin", "acos", "atan", "erf", "erfc", "erfinv"}


class CorrectlyRoundedVectorMaths(TorchDispatchMode):
    """Runs the VML functions (functional, in-place `_` and `out=` forms, autograd's backward
    included) of float32 tensors in float64 and rounds the result to float32 once."""

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = func.overloadpacket.__name__
        base = name.rstrip("_")
        # pow with the number 0.5 as exponent, whichever form (pow, pow_, pow(out=)).
        square_root_power = base == "pow" and len(args) > 1 and isinstance(args[1], (int, float)) and args[1] == 0.5
        routed = base in VML_FUNCTIONS or square_root_power
        first = args[0] if args else None
        if not (routed and isinstance(first, torch.Tensor) and first.dtype == torch.float32):
            return func(*args, **kwargs)
        wide = getattr(torch.ops.aten, base).default if base != "pow" else torch.ops.aten.pow.Tensor_Scalar
        result = wide(first.double(), *args[1:]).to(torch.float32)
        if name.endswith("_"):          # in place: sqrt_(x)
            return first.copy_(result)
        if "out" in kwargs:             # sqrt(x, out=y)
            return kwargs["out"].copy_(result)
        return result


_correctly_rounded = CorrectlyRoundedVectorMaths()
_correctly_rounded.__enter__()


def _check_sqrt_is_correctly_rounded():
    """The mode must still catch ATen's sqrt in each form (say, after an operator is renamed):
    float32 sqrt of 4097 numbers in [1, 4] against IEEE's (numpy's sqrt is the sqrtps instruction).
    Without the mode 800 of them are wrong."""
    import numpy as np
    x = torch.linspace(1, 4, 4097)
    ieee = np.sqrt(x.numpy())
    for name, got in [("torch.sqrt", torch.sqrt(x)), ("sqrt_", x.clone().sqrt_()),
                      ("torch.sqrt(out=)", torch.sqrt(x, out=torch.empty_like(x))),
                      ("pow(x, 0.5)", x.pow(0.5)), ("pow_(0.5)", x.clone().pow_(0.5)),
                      ("torch.pow(out=)", torch.pow(x, 0.5, out=torch.empty_like(x)))]:
        wrong = int((got.numpy() != ieee).sum())
        if wrong:
            raise AssertionError(f"{name}: {wrong} of 4097 float32 results not correctly rounded; "
                                 "CorrectlyRoundedVectorMaths no longer sees ATen's sqrt")


_check_sqrt_is_correctly_rounded()
