#!/usr/bin/env python3
"""PyTorch's time for the dilated 3x3 convolutions `unetlab bench-conv --dilation d` measures.

    python3 Fixtures/bench_dilated_conv.py [--channels 64] [--size 64] [--batch 4] [--repeats 5] [--threads 2]

For each dilation (2, 3, 5; padding = dilation, so the output keeps the input's size): the
median time of F.conv2d forward and of its backward (input and weight gradients), float32,
on the CPU with `--threads` threads. Compare with, for example,

    .build/release/unetlab bench-conv --channels 64 --size 64 --batch 4 --dilation 2

on an otherwise idle machine.
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F


def median_seconds(repeats, fn):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=64)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dilations", type=int, nargs="+", default=[2, 3, 5])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    c, n, s = args.channels, args.batch, args.size
    print(f"PyTorch {torch.__version__}, {args.threads} threads: conv2d {c}→{c}, 3×3, input [{n}, {c}, {s}, {s}], "
          f"median of {args.repeats} runs")
    print(f"{'dilation':<10}{'forward':<12}{'backward':<12}forward GFLOP/s")
    flops = 2 * n * c * c * 9 * s * s
    for d in args.dilations:
        x = torch.randn(n, c, s, s, requires_grad=True)
        w = torch.randn(c, c, 3, 3, requires_grad=True)
        b = torch.randn(c)
        gy = torch.randn(n, c, s, s)
        with torch.no_grad():
            F.conv2d(x, w, b, padding=d, dilation=d)   # warm-up
        def forward():
            with torch.no_grad():
                F.conv2d(x, w, b, padding=d, dilation=d)
        y = F.conv2d(x, w, b, padding=d, dilation=d)
        def backward():
            torch.autograd.grad(y, (x, w), gy, retain_graph=True)
        tf, tb = median_seconds(args.repeats, forward), median_seconds(args.repeats, backward)
        print(f"{d:<10}{tf:<12.4f}{tb:<12.4f}{flops / tf / 1e9:.1f}")
    print("(backward: the input and weight gradients of one forward)")


if __name__ == "__main__":
    main()
