#!/usr/bin/env python3
"""Makes the PyTorch fixtures for the seeds' networks in SegmentationModels.

    python3 Fixtures/make_network_fixtures.py    # writes Tests/Fixtures/networks.safetensors

For each network (twins in `seed_networks.py`) at a small width and a small input:

* `upsample_nearest.s<k>.*`  nearest up-sampling by k: x, y, gy and gx;
* `upconv_nearest.*`  Keras' up-convolution (nearest ×2, one zero row and column at the bottom and
  right, 2×2 convolution): x, w, b, y, gy and the gradients gx, gw, gb;
* `se_c3.*`  SE_Block(3), whose bottleneck has 0 units: state, x, y, gy, gx;
* `<net>.state.*`  the state_dict after a seeded default initialisation and a few training-mode
  forward passes (so BatchNorm's running statistics are not the trivial 0 and 1);
* `<net>.x`, `<net>.eval.y`  an input and the evaluation-mode output (DropBlock is the identity);
* `<net>.train.gy`, `<net>.train.y`, `<net>.train.grad.<name>`  training mode with DropBlock's
  p = 0 (BatchNorm uses batch statistics): the output, a random upstream gradient and the
  gradients for `y.backward(gy)` of every parameter up to GRAD_NUMEL elements plus the first
  and the last weight (the file stays small), except gradients that are zero analytically
  (biases of convolutions followed by BatchNorm in training: float32 gives only rounding noise).

Parameter counts of the full-width networks go into the metadata (`params.<net>`), as exact
integers, and so do the model summaries `torch-summary` 1.4.5 prints (`summary.<net>.<input>`;
`pip install torch-summary==1.4.5`). Everything is float32, seeded, on one thread, written with sorted names and sorted
JSON: re-running the script reproduces the file byte for byte.
"""
import copy
import os
import sys

import reproducible_torch  # noqa: F401  (before torch: the same bytes on every CPU)
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import FixtureTensors, write_safetensors  # noqa: E402
import seed_networks as nets  # noqa: E402

EXPECTED_TORCH = "2.13.0"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "networks.safetensors")

tensors = FixtureTensors()
# Gradients are stored for parameters up to this size (and the first and last weight): keeps the file small.
GRAD_NUMEL = 1200


put = tensors.put


def set_drop_p(model, p):
    for m in model.modules():
        if isinstance(m, (nets.DropBlock2d, torch.nn.Dropout)):
            m.p = p


def parity_case(name, model, x_shape, bias_shift=0.0):
    """State, eval output and training-mode gradients (DropBlock p = 0) of `model` on one input.

    Biases are redrawn small and random (plus `bias_shift`: positive biases keep a narrow ReLU
    network without BatchNorm from going dead); weights stay as initialised."""
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() == 1:
                p.copy_(0.1 * torch.randn(p.shape) + bias_shift)
    set_drop_p(model, 0.0)
    model.train()
    with torch.no_grad():
        for _ in range(2):
            model(torch.randn(x_shape))       # moves BatchNorm's running statistics
    for key, t in model.state_dict().items():
        put(f"{name}.state.{key}", t)
    x = torch.randn(x_shape)
    put(f"{name}.x", x)
    model.eval()
    with torch.no_grad():
        put(f"{name}.eval.y", model(x))
    model.train()
    model.zero_grad()
    y = model(x)
    gy = torch.randn(y.shape)
    y.backward(gy)
    put(f"{name}.train.y", y)
    put(f"{name}.train.gy", gy)
    # The same pass in float64 finds the gradients that are zero analytically: the bias of a
    # convolution followed by BatchNorm in training (the batch mean removes it). Float32 gives
    # rounding noise there on both sides, so those are not stored.
    exact = copy.deepcopy(model).double()
    exact.zero_grad()
    exact(x.double()).backward(gy.double())
    exact_grads = dict(exact.named_parameters())
    named = list(model.named_parameters())
    for i, (key, p) in enumerate(named):
        if p.numel() == 0 or exact_grads[key].grad.abs().max().item() < 1e-9:
            continue
        if p.numel() <= GRAD_NUMEL or i in (0, len(named) - 2):   # small ones, the first and last weight
            put(f"{name}.train.grad.{key}", p.grad)


def squeeze_excitation_without_units():
    """SE_Block(3): 3 // 16 = 0 hidden units, weights [0, 3] and [3, 0], every gate sigmoid(0) = 0.5."""
    se = nets.SE_Block(3)
    for key, t in se.state_dict().items():
        put(f"se_c3.state.{key}", t)
    x = torch.randn(2, 3, 5, 5, requires_grad=True)
    y = se(x)
    gy = torch.randn(y.shape)
    y.backward(gy)
    put("se_c3.x", x)
    put("se_c3.y", y)
    put("se_c3.gy", gy)
    put("se_c3.gx", x.grad)


def nearest_upsampling():
    """F.interpolate(mode='nearest') by 2 and 3: y, and dx for a random upstream gradient."""
    for scale, shape in [(2, (2, 3, 4, 5)), (3, (1, 2, 3, 2))]:
        x = torch.randn(shape, requires_grad=True)
        y = torch.nn.functional.interpolate(x, scale_factor=scale, mode="nearest")
        gy = torch.randn(y.shape)
        y.backward(gy)
        for key, t in [("x", x), ("y", y), ("gy", gy), ("gx", x.grad)]:
            put(f"upsample_nearest.s{scale}.{key}", t)


def nearest_up_convolution():
    """Conv2D(2, padding='same')(UpSampling2D(2)(x)) as PyTorch composes it: y, and x's, w's and b's
    gradients for a random upstream gradient. Its own seed, so the cases before it keep their bytes."""
    torch.manual_seed(7)
    x = torch.randn(2, 3, 4, 5, requires_grad=True)
    w = torch.randn(4, 3, 2, 2, requires_grad=True)
    b = torch.randn(4, requires_grad=True)
    up = torch.nn.functional.interpolate(x, scale_factor=2, mode="nearest")
    y = torch.nn.functional.conv2d(torch.nn.functional.pad(up, (0, 1, 0, 1)), w, b)
    gy = torch.randn(y.shape)
    y.backward(gy)
    for key, t in [("x", x), ("w", w), ("b", b), ("y", y), ("gy", gy), ("gx", x.grad), ("gw", w.grad), ("gb", b.grad)]:
        put(f"upconv_nearest.{key}", t)


def count(model):
    return sum(p.numel() for p in model.parameters())


def main():
    if not torch.__version__.startswith(EXPECTED_TORCH):
        print(f"warning: fixtures were made with torch {EXPECTED_TORCH}, this is {torch.__version__}", file=sys.stderr)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    # DACRse_Unet at base 4: SE widths 3 and 4 and 8 (C // 16 = 0: the gate-0.5 quirk), 16 (1 unit).
    squeeze_excitation_without_units()
    parity_case("dacrse", nets.DACRse_Unet(3, base=4), (1, 3, 40, 40))
    parity_case("sa_unet", nets.SAUNet(in_channels=3, width=4), (2, 3, 16, 16))
    nearest_upsampling()
    parity_case("keras_unet", nets.KerasUNet(in_channels=1, classes=1, base=2), (2, 1, 32, 32),
                bias_shift=0.1)
    parity_case("octa_unet", nets.OCTAUNet(in_chan=1, out_chan=2, base=2), (2, 1, 32, 32))
    nearest_up_convolution()
    metadata = {
        "torch": torch.__version__,
        "script": "Fixtures/make_network_fixtures.py",
        "params.dacrse.in1": count(nets.DACRse_Unet(1)),
        "params.dacrse.in3": count(nets.DACRse_Unet(3)),
        "params.sa_unet.in3": count(nets.SAUNet(in_channels=3)),
        "params.sa_unet.in1": count(nets.SAUNet(in_channels=1)),
        "params.keras_unet.in1": count(nets.KerasUNet(1, 1)),
        "params.keras_unet.in3": count(nets.KerasUNet(3, 1)),
        "params.octa_unet.in1": count(nets.OCTAUNet(1, 2)),
        "params.octa_unet.in3": count(nets.OCTAUNet(3, 2)),
    }
    # torch-summary 1.4.5's tables (the package seed 002 printed its model with).
    from torchsummary import summary
    metadata["summary.octa_unet.1x64x64"] = str(summary(nets.OCTAUNet(1, 2), (1, 64, 64), verbose=0))
    metadata["summary.dacrse.base4.3x40x40"] = str(summary(nets.DACRse_Unet(3, base=4), (3, 40, 40), verbose=0))
    out = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else OUT)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    write_safetensors(out, tensors, metadata)
    print(f"wrote {len(tensors)} tensors to {out} ({os.path.getsize(out)} bytes)")
    print({k: v for k, v in metadata.items() if k.startswith("params.")})


if __name__ == "__main__":
    main()
