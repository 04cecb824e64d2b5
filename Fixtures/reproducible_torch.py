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
- one thread (OpenMP and ATen's intra-op pool).

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
