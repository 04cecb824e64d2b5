#!/usr/bin/env python3
"""Makes the whole-network fixtures: Tests/Fixtures/models.safetensors.

    pip install torch==2.13.0+cpu
    python3 Fixtures/make_model_fixtures.py [OUT.safetensors]

For each network name in (unet, shallow, add) — the course's UNet, UNet_shallow and UNet_add
from Fixtures/course_unet.py — in that order:

Everything is computed in float64 (formula weights, inputs and targets are float32 values, so
exact in float64) and stored as F32: a different order of additions (another CPU's GEMM) moves
a float64 result by a few of its ulps, which rounding to float32 almost always absorbs
(perturbing every convolution's output by 2e-16 changed no stored tensor, 1e-15 one).

a) Full width (base 64) with the formula weights (see course_unet.py), input
   `{name}.full.x` = torch.randn(1, 1, 64, 64) (the deepest BatchNorm sees 4×4 values):
     {name}.full.logits_train   model.train(), forward (batch statistics; the running
                                statistics are updated, but not stored)
     {name}.full.logits_train_f32_rounding_error
                                max |logits_train − the same forward with every leaf module's
                                output rounded to float32| (shape [1]): how much this network
                                amplifies float32 rounding, for the test's tolerance
     {name}.full.logits_eval    formula weights loaded again, model.eval(), forward
     {name}.full.param_count    the parameter count as a 1-element float tensor

b) Small width (base 4), formula weights, train mode, input `{name}.small.x` =
   torch.randn(2, 1, 64, 64), target `{name}.small.t` = (torch.rand(2, 2, 64, 64) > 0.5).float()
   (64×64 so the deepest BatchNorm normalises 4×4×2 values: at 2×2×2 a BN output within
   ~1e-5 of 0 — rounding noise — can flip a ReLU and reroute a whole gradient subtree):
     {name}.small.init.<key>            every state_dict entry before training
     two steps of the course's training step on the same x and t, with
     SGD(lr=0.1, momentum=0.9, weight_decay=0.0005):
         probs = sigmoid(model(x)); loss = BCELoss()(probs.reshape(-1), t.reshape(-1))
         opt.zero_grad(); loss.backward(); opt.step()
     {name}.small.step{s}.logits        model(x) of step s (before its update), s = 1, 2
     {name}.small.step{s}.loss          the loss, shape []
     {name}.small.step{s}.grad.<param>  the gradient of every parameter (no weight decay in it:
                                        PyTorch's SGD adds that inside step()), entries below
                                        1e-12 set to 0 (rounding noise of exact zeros)
     {name}.small.final.<key>           every state_dict entry after both steps

Random draws come from one stream: torch.manual_seed(0) once, then per name full.x, small.x,
small.t, in the order above (building a network does not consume it: its default
initialisation, overwritten by the formula weights anyway, runs on a forked stream). Every
tensor is stored as F32 (num_batches_tracked too). One thread, sorted names: re-running
reproduces the file byte for byte.
"""
import os
import sys

import reproducible_torch  # noqa: F401  (before torch: the same bytes on every CPU)
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from course_unet import build, load_formula_weights, parameter_count  # noqa: E402
from safetensors_io import FixtureTensors, write_safetensors  # noqa: E402

EXPECTED_TORCH = "2.13.0"
NAMES = ("unet", "shallow", "add")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "models.safetensors")

tensors = FixtureTensors()


put = tensors.put


def fresh(name, base):
    """build(name, base) in float64 with the formula weights, without touching the global random
    stream (the default initialisation draws from it before the formula weights replace it)."""
    with torch.random.fork_rng(devices=[]):
        model = build(name, base=base)
    load_formula_weights(model)
    return model.double()


def round_every_output_to_float32(model):
    """Hooks that round each leaf module's output to float32 (and back to float64): the network
    as a float32 implementation whose every op is correctly rounded. Returns the hook handles."""
    leaves = [m for m in model.modules() if not list(m.children())]
    return [m.register_forward_hook(lambda _m, _i, out: out.float().double()) for m in leaves]


def without_rounding_noise(grad):
    """`grad` with entries below 1e-12 in magnitude set to 0. A conv bias followed by a
    training-mode BatchNorm has a gradient of exactly 0 (the batch mean takes the bias out);
    float64 leaves ~1e-18 of summation noise there, whose bits change with any other order of
    additions (another CPU's GEMM). The smallest real entry here is 1.6e-10."""
    return torch.where(grad.abs() < 1e-12, torch.zeros_like(grad), grad)


def full_width(name):
    x = torch.randn(1, 1, 64, 64)
    put(f"{name}.full.x", x)
    model = fresh(name, 64)
    put(f"{name}.full.param_count", torch.tensor([float(parameter_count(model))]))
    with torch.no_grad():
        model.train()
        reference = model(x.double())
        put(f"{name}.full.logits_train", reference)
        # Training-mode BatchNorm at 4×4 amplifies rounding; how much, the same network with
        # every op's output rounded to float32 shows (a pure function of float64 results; the
        # running statistics the first forward updated do not enter a training-mode forward).
        hooks = round_every_output_to_float32(model)
        rounded = model(x.double())
        for hook in hooks:
            hook.remove()
        put(f"{name}.full.logits_train_f32_rounding_error",
            (rounded - reference).abs().max().reshape([1]))
        load_formula_weights(model)   # the running statistics as they were
        model.eval()
        put(f"{name}.full.logits_eval", model(x.double()))


def small_width(name):
    x = torch.randn(2, 1, 64, 64)
    t = (torch.rand(2, 2, 64, 64) > 0.5).float()
    put(f"{name}.small.x", x)
    put(f"{name}.small.t", t)
    model = fresh(name, 4)
    model.train()
    for key, v in model.state_dict().items():
        put(f"{name}.small.init.{key}", v)
    criterion = nn.BCELoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=0.0005)
    for step in (1, 2):
        logits = model(x.double())
        probs = torch.sigmoid(logits)
        loss = criterion(probs.reshape(-1), t.double().reshape(-1))
        opt.zero_grad()
        loss.backward()
        put(f"{name}.small.step{step}.logits", logits)
        put(f"{name}.small.step{step}.loss", loss.reshape([]))
        for key, p in model.named_parameters():
            put(f"{name}.small.step{step}.grad.{key}", without_rounding_noise(p.grad))
        opt.step()
    for key, v in model.state_dict().items():
        put(f"{name}.small.final.{key}", v)


def main():
    if not torch.__version__.startswith(EXPECTED_TORCH):
        print(f"warning: fixtures were made with torch {EXPECTED_TORCH}, this is {torch.__version__}", file=sys.stderr)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    for name in NAMES:
        full_width(name)
        small_width(name)
    out = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else OUT)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    write_safetensors(out, tensors, {"torch": torch.__version__, "script": "Fixtures/make_model_fixtures.py"})
    print(f"wrote {len(tensors)} tensors to {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main()
