#!/usr/bin/env python3
"""unetlab against PyTorch 2.13 CPU, same machine, same run: train step and forward pass.

    python3 Fixtures/bench_vs_pytorch.py [--models unet,shallow,add,sa-unet,keras-unet,octa-unet] [--batch 4] [--size 128]
            [--steps 5] [--rounds 3] [--threads 2] [--bin .build/release/unetlab] [--scaling]
            [--markdown]

For every configuration both sides run `rounds` times, alternating (ours, PyTorch, ours, …),
each in a fresh process: `unetlab bench --json` and `Fixtures/pytorch_peer.py bench` (the
course's networks from Fixtures/course_unet.py, torch.set_num_threads(threads)). Each process
reports the median of `steps` timed steps after warm-up; the table shows, per side, the median
over the rounds, and the ratio ours / PyTorch of those medians (below 1: we are faster). Peak
RSS is the largest over the rounds. Alternating rounds spread the noise of a shared machine
over both sides.

The seeds' vessel networks (sa-unet, keras-unet, octa-unet, dacrse-unet: `unetlab bench --network`,
`pytorch_peer.py bench --network`, twins from Fixtures/seed_networks.py) run at their authors'
widths (SA-UNet 16, the others 64) on one grey input channel.

--scaling adds the UNet's step time at sizes 64, 128, 256 (batch 4) and batches 1, 4, 16
(size 128) beside PyTorch's. --markdown prints the tables as Markdown for the README.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def last_json(output, command):
    for line in reversed(output.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit(f"no JSON line in the output of {' '.join(command)}:\n{output}")


def run(command, env=None):
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return last_json(done.stdout, command)


COURSE_MODELS = ("unet", "shallow", "add")
# The seeds' networks and their authors' first-level widths.
NETWORK_WIDTHS = {"sa-unet": 16, "keras-unet": 64, "octa-unet": 64, "dacrse-unet": 64}


def measure(args, model, batch, size):
    """Alternating rounds; returns (ours, torch) summaries."""
    if model in COURSE_MODELS:
        ours_which, torch_which = ["--model", model], ["--model", model]
    else:
        width = str(NETWORK_WIDTHS[model])
        ours_which, torch_which = ["--network", model, "--base", width], ["--network", model, "--width", width]
    ours_cmd = [args.bin, "bench", "--solutions", *ours_which, "--batch", str(batch), "--size", str(size),
                "--steps", str(args.steps), "--json"]
    torch_cmd = [sys.executable, os.path.join(HERE, "pytorch_peer.py"), "bench", *torch_which,
                 "--batch", str(batch), "--size", str(size), "--steps", str(args.steps),
                 "--threads", str(args.threads)]
    ours, theirs = [], []
    for k in range(args.rounds):
        ours.append(run(ours_cmd))
        theirs.append(run(torch_cmd))
        print(f"  {model} {batch} x {size}² round {k + 1}: train {ours[-1]['train_step_s']:.3f} / "
              f"{theirs[-1]['train_step_s']:.3f} s, forward {ours[-1]['forward_s']:.3f} / {theirs[-1]['forward_s']:.3f} s "
              "(ours / torch)", flush=True)

    def summary(rows):
        return {"train_step_s": statistics.median(r["train_step_s"] for r in rows),
                "forward_s": statistics.median(r["forward_s"] for r in rows),
                "peak_rss_mb": max(r["peak_rss_mb"] for r in rows),
                "rounds": [(r["train_step_s"], r["forward_s"]) for r in rows]}
    result = summary(ours), summary(theirs)
    result[0]["train_gflops"] = statistics.median(r["train_gflops"] for r in ours)
    result[0]["forward_gflops"] = statistics.median(r["forward_gflops"] for r in ours)
    result[0]["forward_gflop"] = ours[0]["forward_gflop"]
    result[0]["blas"] = ours[0].get("blas", "")
    result[0]["sgemm_gflops"] = statistics.median(r.get("sgemm_gflops", float("nan")) for r in ours)
    return result


def table(headers, rows, markdown):
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    else:
        widths = [max(len(str(x)) for x in [h] + [r[i] for r in rows]) for i, h in enumerate(headers)]
        lines = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths))]
        lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    print("\n".join(lines))


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    p.add_argument("--models", default="unet,shallow,add")
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--size", type=int, default=128)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "unetlab"))
    p.add_argument("--scaling", action="store_true")
    p.add_argument("--markdown", action="store_true")
    args = p.parse_args(argv)
    models = [m for m in args.models.split(",") if m]
    for m in models:
        if m not in COURSE_MODELS and m not in NETWORK_WIDTHS:
            p.error(f"--models takes {', '.join(COURSE_MODELS + tuple(NETWORK_WIDTHS))}; got {m!r}")
    if not os.path.exists(args.bin):
        p.error(f"{args.bin} does not exist: build it first (swift build -c release)")
    import torch  # only to report the version the peer runs with
    print(f"machine: {cpu_name()}, {os.cpu_count()} cores; PyTorch {torch.__version__} with "
          f"{args.threads} threads; medians of {args.steps} steps, median over {args.rounds} alternating rounds")

    rows, blas, roofline = [], "", []
    for model in models:
        ours, theirs = measure(args, model, args.batch, args.size)
        blas = ours["blas"]
        roofline.append(ours["sgemm_gflops"])
        rows.append([model, f"{args.batch} × {args.size}²",
                     f"{ours['train_step_s']:.3f} s", f"{theirs['train_step_s']:.3f} s",
                     f"{ours['train_step_s'] / theirs['train_step_s']:.2f}",
                     f"{ours['forward_s']:.3f} s", f"{theirs['forward_s']:.3f} s",
                     f"{ours['forward_s'] / theirs['forward_s']:.2f}",
                     f"{ours['peak_rss_mb']:.0f} / {theirs['peak_rss_mb']:.0f} MB",
                     f"{ours['train_gflops']:.0f} / {ours['forward_gflops']:.0f}"])
    print(f"unetlab BLAS: {blas}; sgemm roofline (1024³, all cores, measured in each run): "
          f"{statistics.median(roofline):.0f} GFLOP/s")
    table(["model", "batch × size", "train ours", "train torch", "ratio", "forward ours", "forward torch",
           "ratio", "peak RSS ours / torch", "GFLOP/s ours train / fwd"], rows, args.markdown)

    if args.scaling:
        rows = []
        for batch, size in [(4, 64), (4, 128), (4, 256), (1, 128), (16, 128)]:
            ours, theirs = measure(args, "unet", batch, size)
            rows.append([f"{batch} × {size}²", f"{ours['train_step_s']:.3f} s", f"{theirs['train_step_s']:.3f} s",
                         f"{ours['train_step_s'] / theirs['train_step_s']:.2f}",
                         f"{ours['forward_s']:.3f} s", f"{theirs['forward_s']:.3f} s",
                         f"{ours['forward_s'] / theirs['forward_s']:.2f}",
                         f"{ours['peak_rss_mb']:.0f} / {theirs['peak_rss_mb']:.0f} MB"])
        print("\nUNet step time against image size and batch:")
        table(["batch × size", "train ours", "train torch", "ratio", "forward ours", "forward torch", "ratio",
               "peak RSS ours / torch"], rows, args.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
