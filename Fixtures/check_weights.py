#!/usr/bin/env python3
"""Checks that weights written by the Swift tool load into the course's PyTorch network.

    python3 Fixtures/check_weights.py WEIGHTS.safetensors --model unet|shallow|add [--base 64]
            [--prediction PRED.safetensors] [--tolerance 1e-4]
    python3 Fixtures/check_weights.py --export-from-torch OUT.safetensors --model unet [--base 64] [--seed 0]

Check mode: WEIGHTS holds one tensor per state_dict key of the course's network
(`inc.conv.conv.0.weight`, ..., F32, `num_batches_tracked` I64). The tensors are converted to
the module's own dtypes and loaded with load_state_dict(strict=True); the script prints OK or
the missing / unexpected / wrongly shaped keys and exits 1.

With --prediction, PRED holds `input` (N x 1 x H x W) and `probabilities` (N x 2 x H x W)
written by the Swift predict command (eval mode, sigmoid of the logits). The script runs the
PyTorch network in eval mode on `input`, prints the largest |sigmoid(model(input)) -
probabilities| and exits 1 if it is above --tolerance.

Export mode: writes a freshly initialised PyTorch network (torch.manual_seed(seed), PyTorch's
default initialisation) as safetensors — F32 tensors, num_batches_tracked as I64 — so the
Swift side can show that it loads a file PyTorch made.

Exit status: 0 OK, 1 check failed, 2 usage or file error.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from course_unet import COURSE_PARAMETERS, MODELS, build, parameter_count  # noqa: E402
from safetensors_io import SafetensorsError, read_safetensors, write_safetensors  # noqa: E402

CLASS_NAMES = {"unet": "UNet", "shallow": "UNet_shallow", "add": "UNet_add"}


def fail(message, status=2):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(status)


def _list(keys, limit=8):
    keys = sorted(keys)
    shown = ", ".join(keys[:limit])
    return shown + (f", ... ({len(keys) - limit} more)" if len(keys) > limit else "")


def guess_network(names):
    """Which of the course's networks has exactly these keys, if any (keys do not depend on width)."""
    for name, cls in MODELS.items():
        if set(cls(1, 2, base=1).state_dict()) == set(names):
            return name
    return None


def guess_shapes(tensors, base):
    """Which of the course's networks at this width has exactly these keys and shapes, if any."""
    for name, cls in MODELS.items():
        own = cls(1, 2, base=base).state_dict()
        if own.keys() == tensors.keys() and all(tuple(own[k].shape) == tuple(tensors[k].shape) for k in own):
            return name
    return None


def load_into(model, tensors, model_name, base):
    """Converts `tensors` to `model`'s dtypes and loads them strictly; returns a list of problems."""
    own = model.state_dict()
    missing = [k for k in own if k not in tensors]
    unexpected = [k for k in tensors if k not in own]
    problems = []
    if missing or unexpected:
        label = f"{CLASS_NAMES[model_name]} (base {base})"
        if missing:
            problems.append(f"{len(missing)} missing key(s) — expected key {missing[0]} "
                            f"{tuple(own[missing[0]].shape)} for {label}: {_list(missing)}")
        if unexpected:
            problems.append(f"{len(unexpected)} unexpected key(s), not in {label}: {_list(unexpected)}")
        other = guess_network(tensors)
        if other and other != model_name:
            problems.append(f"these weights are a {CLASS_NAMES[other]} (--model {other}), not --model {model_name}")
        return problems
    converted = {}
    for k, t in own.items():
        given = tensors[k]
        if tuple(given.shape) != tuple(t.shape):
            problems.append(f"{k}: expected shape {tuple(t.shape)}, got {tuple(given.shape)}")
            continue
        if given.dtype == torch.bool:
            problems.append(f"{k}: expected numbers ({t.dtype}), got bool")
            continue
        if not torch.isfinite(given.double()).all():
            problems.append(f"{k}: contains NaN or infinity")
            continue
        if not t.dtype.is_floating_point and given.dtype.is_floating_point and not (given == given.round()).all():
            problems.append(f"{k}: expected whole numbers ({t.dtype}), got fractions ({given.dtype})")
            continue
        converted[k] = given.to(t.dtype)
    if problems:
        limit = 6
        if len(problems) > limit:
            problems = problems[:limit] + [f"... and {len(problems) - limit} more tensors with a wrong shape or dtype"]
        width = tensors["inc.conv.conv.0.weight"].shape[0] if tensors["inc.conv.conv.0.weight"].dim() == 4 else None
        if width is not None and width != base:
            problems.insert(0, f"inc.conv.conv.0.weight has {width} output channels, so these weights look like "
                               f"base {width}: try --base {width}")
        elif guess_shapes(tensors, base) not in (None, model_name):
            other = guess_shapes(tensors, base)
            problems.insert(0, f"these weights are a {CLASS_NAMES[other]} (--model {other}), not --model {model_name}")
        return problems
    model.load_state_dict(converted, strict=True)
    return []


def check(args):
    try:
        tensors = read_safetensors(args.weights)
    except SafetensorsError as e:
        fail(str(e))
    model = build(args.model, base=args.base)
    problems = load_into(model, tensors, args.model, args.base)
    if problems:
        print(f"FAIL {args.weights} does not load into {CLASS_NAMES[args.model]} (base {args.base}):")
        for p in problems:
            print("  " + p)
        return 1
    count = parameter_count(model)
    note = " (the course's count)" if args.base == 64 and count == COURSE_PARAMETERS[args.model] else ""
    print(f"OK {args.weights}: {len(tensors)} tensors load into {CLASS_NAMES[args.model]} (base {args.base}) "
          f"with strict=True; {count:,} parameters{note}")
    if args.prediction is None:
        return 0
    try:
        pred = read_safetensors(args.prediction)
    except SafetensorsError as e:
        fail(str(e))
    for k in ("input", "probabilities"):
        if k not in pred:
            fail(f"{args.prediction}: expected a tensor named {k!r}; it has {_list(pred) or 'no tensors'}")
    x, probs = pred["input"].to(torch.float32), pred["probabilities"].to(torch.float32)
    if x.dim() != 4 or x.size(1) != 1:
        fail(f"{args.prediction}: expected input of shape N x 1 x H x W, got {tuple(x.shape)}")
    expected_shape = (x.size(0), 2, x.size(2), x.size(3))
    if tuple(probs.shape) != expected_shape:
        fail(f"{args.prediction}: expected probabilities of shape {expected_shape} (from input "
             f"{tuple(x.shape)}), got {tuple(probs.shape)}")
    model.eval()
    with torch.no_grad():
        torch_probs = torch.sigmoid(model(x))
    diff = (torch_probs - probs).abs()
    worst = diff.max().item()
    where = tuple(int(i) for i in torch.unravel_index(diff.argmax(), diff.shape))
    print(f"prediction {args.prediction}: input {tuple(x.shape)}, max |torch - swift| = {worst:.3g} at {where} "
          f"(torch {torch_probs[where].item():.6f}, swift {probs[where].item():.6f}), tolerance {args.tolerance:g}")
    if not worst <= args.tolerance:  # also catches NaN
        print("FAIL prediction differs from PyTorch's")
        return 1
    print("OK prediction matches PyTorch's")
    return 0


def export(args):
    torch.manual_seed(args.seed)
    model = build(args.model, base=args.base)
    state = {k: (v.to(torch.int64) if k.endswith("num_batches_tracked") else v.to(torch.float32))
             for k, v in model.state_dict().items()}
    out = args.export_from_torch
    directory = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(directory):
        fail(f"{out}: the folder {directory} does not exist")
    write_safetensors(out, state, {"format": "pt", "model": CLASS_NAMES[args.model], "base": str(args.base),
                                   "seed": str(args.seed), "torch": torch.__version__,
                                   "script": "Fixtures/check_weights.py --export-from-torch"})
    print(f"wrote {len(state)} tensors of a fresh {CLASS_NAMES[args.model]} (base {args.base}, "
          f"torch.manual_seed({args.seed}), {parameter_count(model):,} parameters) to {out}")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    p.add_argument("weights", nargs="?", help="safetensors file written by the Swift tool")
    p.add_argument("--model", required=True, choices=sorted(MODELS), help="which of the course's networks")
    p.add_argument("--base", type=int, default=64, help="width of the first level (course: 64)")
    p.add_argument("--prediction", help="safetensors file with `input` and `probabilities` from Swift")
    p.add_argument("--tolerance", type=float, default=1e-4, help="largest allowed |difference| of probabilities")
    p.add_argument("--export-from-torch", metavar="OUT", help="write a fresh PyTorch network's weights to OUT")
    p.add_argument("--seed", type=int, default=0, help="torch.manual_seed for --export-from-torch")
    args = p.parse_args(argv)
    if args.base < 1:
        p.error(f"--base must be at least 1, got {args.base}")
    if args.export_from_torch:
        if args.weights or args.prediction:
            p.error("--export-from-torch writes a file; do not also give WEIGHTS or --prediction")
        return export(args)
    if not args.weights:
        p.error("expected WEIGHTS.safetensors to check (or --export-from-torch OUT)")
    return check(args)


if __name__ == "__main__":
    sys.exit(main())
