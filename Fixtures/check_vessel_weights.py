"""Weights of the seeds' vessel networks cross between unetlab and PyTorch, both ways.

    python3 Fixtures/check_vessel_weights.py WEIGHTS.safetensors --prediction prediction.safetensors
    python3 Fixtures/check_vessel_weights.py --export-from-torch OUT.safetensors --model sa-unet --width 4

The first form loads weights that `unetlab train --data vessels` wrote into the PyTorch twin of
the network its metadata names (Fixtures/seed_networks.py) with `load_state_dict(strict=True)`,
runs the `input` stored by `unetlab predict` (written with `--patch` equal to the image size,
so one window covers each image) in evaluation mode, applies the run's output activation and
the FOV, and compares the foreground probabilities with the stored ones.

The second form writes a freshly initialised PyTorch twin's state_dict with the metadata
unetlab reads (network, in_channels, classes, width, activation, preprocess), so that
`unetlab predict --weights OUT` must load it.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seed_networks as nets  # noqa: E402
from safetensors_io import SafetensorsError, read_metadata, read_safetensors, write_safetensors  # noqa: E402

TWINS = nets.VESSEL_NETWORKS


def fail(message):
    print(f"FAIL {message}")
    sys.exit(2)


def foreground(output, activation):
    """The foreground (last) channel's probability, [N, 1, H, W], as unetlab's OutputActivation."""
    if activation == "sigmoid":
        output = torch.sigmoid(output)
    elif activation == "softmax":
        output = torch.softmax(output, dim=1)
    elif activation != "none":
        fail(f"unknown activation {activation!r} in the weights' metadata")
    return output[:, -1:]


def check(args):
    try:
        meta = read_metadata(args.weights)
        tensors = read_safetensors(args.weights)
        pred = read_safetensors(args.prediction)
    except SafetensorsError as e:
        fail(str(e))
    name = meta.get("network")
    if name not in TWINS:
        fail(f"{args.weights}: metadata network={name!r}; this script knows {', '.join(sorted(TWINS))}")
    c, k, w = (int(meta[key]) for key in ("in_channels", "classes", "width"))
    model = TWINS[name][0](c, k, w)
    state = {key: (t.to(torch.int64) if key.endswith("num_batches_tracked") else t.to(torch.float32))
             for key, t in tensors.items()}
    model.load_state_dict(state, strict=True)
    print(f"OK {args.weights}: {len(tensors)} tensors load into {type(model).__name__} (in {c}, classes {k}, "
          f"width {w}) with strict=True")
    for key in ("input", "probabilities"):
        if key not in pred:
            fail(f"{args.prediction}: expected a tensor named {key!r}, found {sorted(pred)}")
    x = pred["input"].to(torch.float32)
    model.eval()
    with torch.no_grad():
        probs = foreground(model(x), meta["activation"])
    if "fov" in pred:
        probs = probs * (pred["fov"] == 1)
    theirs = pred["probabilities"].to(torch.float32)
    if probs.shape != theirs.shape:
        fail(f"PyTorch gives {tuple(probs.shape)}, the prediction file holds {tuple(theirs.shape)}")
    worst = (probs - theirs).abs().max().item()
    print(f"prediction: input {tuple(x.shape)}, max |torch - swift| = {worst:.3g}, tolerance {args.tolerance:g}")
    if not worst <= args.tolerance:  # also catches NaN
        fail("the prediction differs from PyTorch's")
    print("OK prediction matches PyTorch's")


def export(args):
    torch.manual_seed(args.seed)
    make, activation = TWINS[args.model]
    model = make(args.in_channels, args.classes, args.width)
    state = {k: (v.to(torch.int64) if k.endswith("num_batches_tracked") else v.to(torch.float32))
             for k, v in model.state_dict().items()}
    write_safetensors(args.export_from_torch, state,
                      {"network": args.model, "in_channels": str(args.in_channels), "classes": str(args.classes),
                       "width": str(args.width), "activation": activation, "preprocess": "none",
                       "data": "vessels", "torch": torch.__version__,
                       "script": "Fixtures/check_vessel_weights.py --export-from-torch"})
    print(f"wrote a fresh {type(model).__name__} (torch.manual_seed({args.seed})) to {args.export_from_torch}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("weights", nargs="?")
    p.add_argument("--prediction")
    p.add_argument("--tolerance", type=float, default=1e-4)
    p.add_argument("--export-from-torch", metavar="OUT")
    p.add_argument("--model", choices=sorted(TWINS))
    p.add_argument("--width", type=int, default=4)
    p.add_argument("--in-channels", type=int, default=1)
    p.add_argument("--classes", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    if args.export_from_torch:
        if not args.model:
            p.error("--export-from-torch needs --model")
        return export(args)
    if not (args.weights and args.prediction):
        p.error("expected WEIGHTS and --prediction (or --export-from-torch OUT --model NAME)")
    return check(args)


if __name__ == "__main__":
    main()
