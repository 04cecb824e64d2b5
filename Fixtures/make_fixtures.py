#!/usr/bin/env python3
"""Makes the PyTorch fixtures the Swift tests compare against.

    pip install torch==2.13.0+cpu
    python3 Fixtures/make_fixtures.py          # writes Tests/Fixtures/ops.safetensors

Every case stores its inputs, parameters, outputs and — for an upstream gradient `gy` drawn
at random — the gradients PyTorch's autograd computes (`y.backward(gy)`). Inputs are random
with a fixed seed, on one thread, so re-running the script reproduces the file byte for byte
(`make check-fixtures` checks that). The file is written with the small safetensors writer
below, so nothing but torch is needed.
"""
import os
import sys

import reproducible_torch  # noqa: F401  (before torch: the same bytes on every CPU)
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import FixtureTensors, rand, write_safetensors  # noqa: E402

EXPECTED_TORCH = "2.13.0"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "ops.safetensors")

tensors = FixtureTensors()


put = tensors.put
record = tensors.record



def leaf(t):
    return t.clone().requires_grad_(True)


def conv_cases():
    for case, (n, cin, cout, h, w, k, s, p) in {
        "conv2d.k3p1": (2, 3, 4, 7, 5, 3, 1, 1),
        "conv2d.k3p0": (1, 1, 2, 6, 6, 3, 1, 0),
        "conv2d.k1": (2, 5, 3, 5, 6, 1, 1, 0),
        "conv2d.k3s2p1": (1, 2, 3, 9, 7, 3, 2, 1),
        "conv2d.k5p2": (2, 2, 2, 4, 5, 5, 1, 2),
    }.items():
        record(case, lambda x, wt, b: F.conv2d(x, wt, b, stride=s, padding=p),
               [rand(n, cin, h, w), rand(cout, cin, k, k), rand(cout)], ["x", "w", "b"])
    for case, (n, cin, cout, h, w, k, s, p) in {
        "conv_transpose2d.k3s2p1": (2, 4, 2, 3, 3, 3, 2, 1),
        "conv_transpose2d.k2s2": (2, 3, 2, 4, 5, 2, 2, 0),
        "conv_transpose2d.k3s1p1": (1, 2, 3, 5, 4, 3, 1, 1),
    }.items():
        record(case, lambda x, wt, b: F.conv_transpose2d(x, wt, b, stride=s, padding=p),
               [rand(n, cin, h, w), rand(cin, cout, k, k), rand(cout)], ["x", "w", "b"])


def winograd_cases():
    """3x3 stride-1 convolutions wide enough (>= 8 channels) for the Winograd path, with odd
    output sizes (partial 2x2 tiles) and paddings 0, 1, 2."""
    for case, (n, cin, cout, h, w, p) in {
        "conv2d.wide.k3p1": (2, 8, 9, 7, 6, 1),
        "conv2d.wide.k3p0": (1, 9, 8, 6, 9, 0),
        "conv2d.wide.k3p2": (3, 8, 8, 5, 4, 2),
    }.items():
        record(case, lambda x, wt, b: F.conv2d(x, wt, b, stride=1, padding=p),
               [rand(n, cin, h, w), rand(cout, cin, 3, 3), rand(cout)], ["x", "w", "b"])


def elementwise_cases():
    record("max_pool2d.even", lambda x: F.max_pool2d(x, 2), [rand(2, 3, 6, 8)], ["x"])
    record("max_pool2d.odd", lambda x: F.max_pool2d(x, 2), [rand(1, 2, 7, 5)], ["x"])
    record("relu", F.relu, [rand(2, 3, 4, 5)], ["x"])
    record("sigmoid", torch.sigmoid, [rand(2, 3, 4, 5) * 3], ["x"])
    up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
    record("upsample.a", up, [rand(2, 3, 4, 5)], ["x"])
    record("upsample.b", up, [rand(1, 2, 3, 1)], ["x"])
    record("pad.grow", lambda x: F.pad(x, (1, 2, 0, 1)), [rand(2, 2, 3, 5)], ["x"])
    record("pad.crop", lambda x: F.pad(x, (-1, 0, -1, -2)), [rand(2, 2, 5, 4)], ["x"])
    record("cat", lambda a, b: torch.cat([a, b], dim=1), [rand(2, 3, 4, 5), rand(2, 2, 4, 5)], ["a", "b"])
    record("add", lambda a, b: a + b, [rand(2, 3, 4, 5), rand(2, 3, 4, 5)], ["a", "b"])
    record("permute", lambda x: x.permute(0, 3, 1, 2), [rand(2, 4, 3, 2)], ["x"])


def batchnorm_cases():
    for case, train in (("batch_norm.train", True), ("batch_norm.eval", False)):
        bn = nn.BatchNorm2d(4)
        with torch.no_grad():
            bn.weight.copy_(rand(4))
            bn.bias.copy_(rand(4))
            bn.running_mean.copy_(rand(4))
            bn.running_var.copy_(torch.rand(4) + 0.5)
        put(f"{case}.running_mean_before", bn.running_mean)
        put(f"{case}.running_var_before", bn.running_var)
        bn.train(train)
        x = rand(3, 4, 5, 6) * 2 + 1
        record(case, lambda x, wt, b: F.batch_norm(x, bn.running_mean, bn.running_var, wt, b,
                                                   training=train, momentum=0.1, eps=1e-5),
               [x, bn.weight.detach(), bn.bias.detach()], ["x", "w", "b"])
        put(f"{case}.running_mean_after", bn.running_mean)
        put(f"{case}.running_var_after", bn.running_var)


def bce_cases():
    p = torch.sigmoid(rand(2, 2, 4, 4))
    t = (torch.rand(2, 2, 4, 4) > 0.5).float()
    record("bce.random", lambda p: F.binary_cross_entropy(p, t), [p], ["p"])
    put("bce.random.t", t)
    # Probabilities exactly 0 and 1: the log is clamped at -100.
    p = torch.tensor([0.0, 1.0, 0.5, 1.0, 0.0, 0.25])
    t = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    record("bce.clamp", lambda p: F.binary_cross_entropy(p, t), [p], ["p"])
    put("bce.clamp.t", t)


def sgd_case():
    p = leaf(rand(3, 4))
    put("sgd.p0", p)
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.05)
    for step in (1, 2):
        g = rand(3, 4)
        put(f"sgd.g{step}", g)
        p.grad = g.clone()
        opt.step()
        put(f"sgd.p{step}", p)


def module_case():
    """A small network through autograd: Conv-BN-ReLU-MaxPool-Conv, sigmoid, BCE; two SGD steps."""
    net = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(4, 2, 1))
    for name, t in net.state_dict().items():
        put(f"net.init.{name}", t)
    opt = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9, weight_decay=0.0005)
    for step in (1, 2):
        x = rand(2, 2, 6, 6)
        t = (torch.rand(2, 2, 3, 3) > 0.5).float()
        put(f"net.step{step}.x", x)
        put(f"net.step{step}.t", t)
        opt.zero_grad()
        logits = net(x)
        loss = F.binary_cross_entropy(torch.sigmoid(logits).reshape(-1), t.reshape(-1))
        loss.backward()
        put(f"net.step{step}.logits", logits)
        put(f"net.step{step}.loss", loss.reshape([]))
        for name, prm in net.named_parameters():
            put(f"net.step{step}.grad.{name}", prm.grad)
        opt.step()
    for name, t in net.state_dict().items():
        put(f"net.final.{name}", t)


def seed_examples():
    """The course's appendix examples (seed 004): conv2d on 2×5×5, deconv on 4×3×3."""
    conv_in = torch.tensor([[[1, 0, 1, 2, 1], [0, 2, 1, 0, 1], [1, 1, 0, 2, 0], [2, 2, 1, 1, 0], [2, 0, 1, 2, 0]],
                            [[2, 0, 2, 1, 1], [0, 1, 0, 0, 2], [1, 0, 0, 2, 1], [1, 1, 2, 1, 0], [1, 0, 1, 1, 1]]],
                           dtype=torch.float32)
    conv_w = torch.tensor([[[[1, 0, 1], [-1, 1, 0], [0, -1, 0]], [[-1, 0, 1], [0, 0, 1], [1, 1, 1]]]],
                          dtype=torch.float32)
    put("seed.conv.input", conv_in)
    put("seed.conv.weights", conv_w)
    put("seed.conv.output", F.conv2d(conv_in.unsqueeze(0), conv_w, torch.zeros(1), padding=1)[0])
    de_in = torch.tensor([[[1, 0, 1], [0, 2, 1], [1, 1, 0]], [[2, 0, 2], [0, 1, 0], [1, 0, 0]],
                          [[1, 1, 1], [2, 2, 0], [1, 1, 1]], [[1, 1, 2], [1, 0, 1], [0, 2, 2]]], dtype=torch.float32)
    de_w = torch.tensor([[[[1, 0, 1], [-1, 1, 0], [0, -1, 0]], [[-1, 0, 1], [0, 0, 1], [1, 1, 1]],
                          [[0, 1, 1], [2, 0, 1], [1, 2, 1]], [[1, 1, 1], [0, 2, 1], [1, 0, 1]]],
                         [[[1, 0, 2], [-2, 1, 1], [1, -1, 0]], [[-1, 0, 1], [-1, 2, 1], [1, 1, 1]],
                          [[0, 0, 0], [2, 2, 1], [1, -1, 1]], [[2, 1, 1], [0, -1, 1], [1, 1, 1]]]], dtype=torch.float32)
    put("seed.deconv.input", de_in)
    put("seed.deconv.weights", de_w)
    # The course's check: ConvTranspose2d(4, 2, k3, p1, s2) with the weights rotated 180° and in/out swapped.
    torch_w = torch.flip(de_w, dims=(2, 3)).transpose(0, 1).contiguous()
    put("seed.deconv.output", F.conv_transpose2d(de_in.unsqueeze(0), torch_w, torch.zeros(2), stride=2, padding=1)[0])


def main():
    if not torch.__version__.startswith(EXPECTED_TORCH):
        print(f"warning: fixtures were made with torch {EXPECTED_TORCH}, this is {torch.__version__}", file=sys.stderr)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    conv_cases()
    elementwise_cases()
    batchnorm_cases()
    bce_cases()
    sgd_case()
    module_case()
    seed_examples()
    winograd_cases()  # last, so the draws of the cases above stay as they were
    out = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else OUT)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    write_safetensors(out, tensors, {"torch": torch.__version__, "script": "Fixtures/make_fixtures.py"})
    print(f"wrote {len(tensors)} tensors to {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main()
