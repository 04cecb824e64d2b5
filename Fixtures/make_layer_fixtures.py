#!/usr/bin/env python3
"""Makes the PyTorch fixtures for UNetKit's building blocks beyond the course's UNet.

    python3 Fixtures/make_layer_fixtures.py    # writes Tests/Fixtures/layers.safetensors

Dilated convolutions, transposed convolutions with output_padding (and dilation), dropout,
channel dropout and DropBlock with the masks PyTorch drew, channel-wise mean and max, global
average pooling, linear layers, broadcasting multiplication, spatial attention and
squeeze-and-excitation. Each case stores its inputs, parameters, output, an upstream gradient
`gy` drawn at random and the gradients autograd computes for `y.backward(gy)`. Everything is
float32, seeded, on one thread, and written by `safetensors_io.write_safetensors` (sorted names,
sorted JSON): re-running the script reproduces the file byte for byte.

Random masks: the dropout cases run PyTorch's own `F.dropout` / `F.dropout2d` and read the mask
back from the output (inputs are normal draws, never exactly 0). The DropBlock cases run
torchvision's `ops.drop_block2d` and recover its seed mask by replaying the generator: the same
`torch.manual_seed` followed by the same `bernoulli_(gamma)` call on a tensor of the same shape
draws the same seeds; the script checks that the seeds reproduce torchvision's output exactly.
"""
import importlib.util
import os
import sys
import types

import reproducible_torch  # noqa: F401  (before torch: the same bytes on every CPU)
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import FixtureTensors, rand, write_safetensors  # noqa: E402

EXPECTED_TORCH = "2.13.0"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "layers.safetensors")

tensors = FixtureTensors()


put = tensors.put
record = tensors.record



def record_module(case, module, x):
    """Runs module(x) with random parameters; stores x, y, gy, gx, and per parameter its value
    (`case.param.<name>`) and gradient (`case.grad.<name>`), names as in the state_dict."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(rand(*p.shape) * 0.5)
    x = x.clone().requires_grad_(True)
    y = module(x)
    gy = rand(*y.shape)
    y.backward(gy)
    put(f"{case}.x", x)
    put(f"{case}.y", y)
    put(f"{case}.gy", gy)
    put(f"{case}.gx", x.grad)
    for name, p in module.named_parameters():
        put(f"{case}.param.{name}", p)
        put(f"{case}.grad.{name}", p.grad)


# --- convolutions -------------------------------------------------------------------------------

def dilated_conv_cases():
    # name: (N, Cin, Cout, H, W, (kH, kW), stride, padding, dilation)
    for case, (n, cin, cout, h, w, k, s, p, d) in {
        "conv2d.d2.k3p2": (2, 3, 4, 9, 8, (3, 3), 1, 2, 2),
        "conv2d.d3.k3p3": (1, 5, 2, 11, 10, (3, 3), 1, 3, 3),
        "conv2d.d5.k3p5": (1, 4, 3, 13, 12, (3, 3), 1, 5, 5),
        "conv2d.d2.k3s2p1": (2, 2, 3, 9, 11, (3, 3), 2, 1, 2),
        "conv2d.d3.k3p0": (1, 3, 2, 10, 9, (3, 3), 1, 0, 3),
        "conv2d.d2.k2p1": (1, 2, 3, 7, 6, (2, 2), 1, 1, 2),
        "conv2d.d2.k3x2p1": (1, 2, 2, 8, 7, (3, 2), 1, 1, 2),
        "conv2d.d2.k1": (2, 3, 4, 5, 6, (1, 1), 1, 0, 2),
        # wide enough for Winograd if it were not dilated: `.winograd` must fall back to im2col
        "conv2d.wide.d2.k3p2": (2, 8, 9, 9, 8, (3, 3), 1, 2, 2),
    }.items():
        record(case, lambda x, wt, b: F.conv2d(x, wt, b, stride=s, padding=p, dilation=d),
               [rand(n, cin, h, w), rand(cout, cin, *k), rand(cout)], ["x", "w", "b"])


def transposed_conv_cases():
    # name: (N, Cin, Cout, H, W, k, stride, padding, output_padding, dilation)
    for case, (n, cin, cout, h, w, k, s, p, op, d) in {
        "conv_transpose2d.k4s2p1": (2, 3, 2, 4, 5, 4, 2, 1, 0, 1),
        "conv_transpose2d.k3s2p1op1": (2, 4, 3, 3, 5, 3, 2, 1, 1, 1),
        "conv_transpose2d.k3s3p0op2": (1, 2, 3, 3, 4, 3, 3, 0, 2, 1),
        "conv_transpose2d.k3s1p1op1d2": (1, 2, 2, 4, 3, 3, 1, 1, 1, 2),
        "conv_transpose2d.k3s1p0op2d3": (2, 2, 3, 3, 4, 3, 1, 0, 2, 3),
        "conv_transpose2d.k3s2p2op1d2": (2, 3, 2, 4, 4, 3, 2, 2, 1, 2),
    }.items():
        record(case, lambda x, wt, b: F.conv_transpose2d(x, wt, b, stride=s, padding=p, output_padding=op,
                                                         dilation=d),
               [rand(n, cin, h, w), rand(cin, cout, k, k), rand(cout)], ["x", "w", "b"])


# --- dropout and DropBlock ----------------------------------------------------------------------

def dropout_cases():
    for case, (shape, p) in {"dropout.p03": ((2, 3, 5, 7), 0.3), "dropout.p05": ((1, 4, 6, 5), 0.5)}.items():
        y = record(case, lambda x: F.dropout(x, p=p, training=True), [rand(*shape)], ["x"])
        put(f"{case}.mask", (y != 0).float())
    for case, (shape, p) in {"dropout2d.p04": ((3, 5, 4, 6), 0.4), "dropout2d.p02": ((2, 7, 3, 3), 0.2)}.items():
        y = record(case, lambda x: F.dropout2d(x, p=p, training=True), [rand(*shape)], ["x"])
        put(f"{case}.mask", (y.abs().sum(dim=(2, 3), keepdim=True) != 0).float())


def torchvision_drop_block2d():
    """torchvision's `ops.drop_block2d`. When `import torchvision` fails (a C extension built for
    another torch), the pure-Python file `torchvision/ops/drop_block.py` is loaded on its own."""
    try:
        from torchvision.ops import drop_block2d
        return drop_block2d
    except Exception:
        pass
    spec = importlib.util.find_spec("torchvision")
    root = os.path.dirname(spec.origin)
    package = types.ModuleType("torchvision")
    package.__path__ = [root]
    ops = types.ModuleType("torchvision.ops")
    ops.__path__ = [os.path.join(root, "ops")]
    utils = types.ModuleType("torchvision.utils")
    utils._log_api_usage_once = lambda obj: None
    saved = {k: sys.modules.get(k) for k in ("torchvision", "torchvision.ops", "torchvision.utils")}
    sys.modules.update({"torchvision": package, "torchvision.ops": ops, "torchvision.utils": utils})
    try:
        file_spec = importlib.util.spec_from_file_location("torchvision.ops.drop_block",
                                                           os.path.join(root, "ops", "drop_block.py"))
        module = importlib.util.module_from_spec(file_spec)
        file_spec.loader.exec_module(module)
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v
    return module.drop_block2d

def replay_drop_block2d(drop_block2d, x, gy, p, bs, seed, case):
    """torchvision's drop_block2d(x, p, bs) after torch.manual_seed(seed), and the Bernoulli seed
    mask it drew, replayed from the same seed (the global RNG state is restored afterwards).
    Returns (y, dx for gy, seeds, keep, gamma); asserts the seeds reproduce y exactly."""
    n, c, h, w = x.shape
    leaf = x.clone().requires_grad_(True)
    state = torch.get_rng_state()
    torch.manual_seed(seed)
    y = drop_block2d(leaf, p, bs)
    torch.manual_seed(seed)
    gamma = (p * h * w) / ((bs ** 2) * ((h - bs + 1) * (w - bs + 1)))
    seeds = torch.empty((n, c, h - bs + 1, w - bs + 1), dtype=torch.float32).bernoulli_(gamma)
    torch.set_rng_state(state)
    y.backward(gy)
    keep = 1 - F.max_pool2d(F.pad(seeds, [bs // 2] * 4), kernel_size=bs, stride=1, padding=bs // 2)
    assert torch.equal(x * keep * (keep.numel() / (1e-6 + keep.sum())), y.detach()), case
    return y, leaf.grad, seeds, keep, gamma


def drop_block_cases():
    drop_block2d = torchvision_drop_block2d()
    # name: (shape, p, block_size, generator seed)
    for case, (shape, p, bs, seed) in {
        "drop_block.bs3": ((2, 3, 11, 9), 0.3, 3, 11),
        "drop_block.bs5": ((1, 4, 13, 13), 0.2, 5, 12),
        "drop_block.bs9": ((2, 2, 16, 12), 0.5, 9, 13),
        "drop_block.bs7.full": ((4, 3, 7, 9), 0.5, 7, 14),
        "drop_block.bs1": ((2, 2, 5, 6), 0.4, 1, 15),
    }.items():
        x = rand(*shape)
        gy = rand(*shape)
        y, gx, seeds, keep, gamma = replay_drop_block2d(drop_block2d, x, gy, p, bs, seed, case)
        assert seeds.sum() > 0, f"{case}: no seed drawn, pick another seed"
        put(f"{case}.x", x)
        put(f"{case}.seeds", seeds)
        put(f"{case}.gamma", torch.tensor(gamma))
        put(f"{case}.keep", keep)
        put(f"{case}.y", y)
        put(f"{case}.gy", gy)
        put(f"{case}.gx", gx)


# --- reductions, linear, broadcasting -----------------------------------------------------------

def reduction_cases():
    for case, shape in {"a": (2, 3, 5, 7), "b": (1, 1, 4, 4), "c": (3, 6, 3, 5)}.items():
        record(f"channel_mean.{case}", lambda x: x.mean(dim=1, keepdim=True), [rand(*shape)], ["x"])
        record(f"channel_max.{case}", lambda x: x.max(dim=1, keepdim=True).values, [rand(*shape)], ["x"])
    for case, shape in {"a": (2, 5, 7, 3), "b": (1, 3, 1, 1), "c": (3, 16, 4, 4)}.items():
        record(f"global_avg_pool.{case}", lambda x: F.adaptive_avg_pool2d(x, 1), [rand(*shape)], ["x"])


def linear_cases():
    record("linear.bias", lambda x, wt, b: F.linear(x, wt, b), [rand(4, 7), rand(5, 7), rand(5)], ["x", "w", "b"])
    record("linear.nobias", lambda x, wt: F.linear(x, wt), [rand(3, 16), rand(1, 16)], ["x", "w"])


def broadcast_cases():
    for case, (a, b) in {
        "pixel_map": ((2, 3, 4, 5), (2, 1, 4, 5)),
        "channel_weights": ((2, 3, 4, 5), (2, 3, 1, 1)),
        "same": ((2, 3, 4, 5), (2, 3, 4, 5)),
        "both": ((2, 1, 4, 5), (2, 3, 1, 1)),
        "left": ((2, 3, 1, 1), (2, 3, 4, 5)),
    }.items():
        record(f"broadcast_mul.{case}", lambda x, y: x * y, [rand(*a), rand(*b)], ["a", "b"])


# --- attention blocks ---------------------------------------------------------------------------

class SpatialAttention(nn.Module):
    """SA-UNet's spatial attention: [mean, max] over channels, 7x7 conv 2->1 without bias, sigmoid."""

    def __init__(self, kernel_size=7):
        super().__init__()
        self.conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=False)

    def forward(self, x):
        pooled = torch.cat([x.mean(dim=1, keepdim=True), x.max(dim=1, keepdim=True).values], dim=1)
        return x * torch.sigmoid(self.conv(pooled))


class SqueezeExcitation(nn.Module):
    """The squeeze-and-excitation block as commonly written (and as printed in seed 003)."""

    def __init__(self, channels, reduction=16):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(nn.Linear(channels, channels // reduction, bias=False), nn.ReLU(inplace=True),
                                nn.Linear(channels // reduction, channels, bias=False), nn.Sigmoid())

    def forward(self, x):
        b, c, _, _ = x.size()
        y = self.avg_pool(x).view(b, c)
        return x * self.fc(y).view(b, c, 1, 1)


def attention_cases():
    record_module("spatial_attention.a", SpatialAttention(), rand(2, 5, 9, 7))
    record_module("spatial_attention.b", SpatialAttention(), rand(1, 16, 8, 8))
    record_module("spatial_attention.k3", SpatialAttention(3), rand(2, 3, 5, 6))
    record_module("se.c32r16", SqueezeExcitation(32), rand(2, 32, 5, 7))
    record_module("se.c64r16", SqueezeExcitation(64), rand(1, 64, 4, 3))
    record_module("se.c8r4", SqueezeExcitation(8, 4), rand(2, 8, 3, 3))


def main():
    if not torch.__version__.startswith(EXPECTED_TORCH):
        print(f"warning: fixtures were made with torch {EXPECTED_TORCH}, this is {torch.__version__}", file=sys.stderr)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    dilated_conv_cases()
    transposed_conv_cases()
    dropout_cases()
    drop_block_cases()
    reduction_cases()
    linear_cases()
    broadcast_cases()
    attention_cases()
    out = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else OUT)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    write_safetensors(out, tensors, {"torch": torch.__version__, "script": "Fixtures/make_layer_fixtures.py"})
    print(f"wrote {len(tensors)} tensors to {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main()
