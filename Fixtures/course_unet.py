"""The course's networks (seed 004: `unet_parts.py`, `unet_model.py`) in PyTorch, with a width.

Module names, and so the state_dict keys, are exactly the course's: `inc.conv.conv.0.weight`,
`down1.mpconv.1.conv.1.running_mean`, `up1.conv.conv.3.bias`, `outc.conv.weight`, ... The only
addition is `base`, the width of the first level (the course's networks have base = 64).

    UNet          inc(n, b) down1(b, 2b) down2(2b, 4b) down3(4b, 8b) down4(8b, 8b)
                  up1(16b, 4b) up2(8b, 2b) up3(4b, b) up4(2b, b) outc(b, classes)
                  base 64, 1 -> 2 channels: 13,394,242 parameters
    UNet_shallow  inc(n, b) down1(b, 2b) down2(2b, 2b) up1(4b, b) up2(2b, b) outc(b, classes)
                  base 64: 851,266 parameters
    UNet_add      as UNet with up_add blocks: up1(8b, 4b) up2(4b, 2b) up3(2b, b) up4(b, b)
                  base 64: 11,809,090 parameters

`up` pads the upsampled map to the skip's size with each axis padded by its own difference
(dy for height, dx for width); the course's original swaps the two, which only matters for
sizes that are not divisible by 2^depth.

Formula weights
---------------
`formula_state_dict(model)` gives every state_dict entry deterministic values, so full-width
networks can be compared with another implementation without shipping their weights. For
each tensor, j = 0, 1, 2, ... is the element's flat row-major index *within that tensor*; the
value is computed in float64 (C library sin/cos, as Python's `math` and Swift's Foundation
use) and then rounded to float32:

    Conv2d weight  (out, in, kh, kw):  (2h/2^32 - 1) * sqrt(6/fan_in),  fan_in = in*kh*kw,
                                       h = (j*2654435761 + n*40503) mod 2^32, n = numel
                                       (an integer hash, not sin: sums of sin over neighbouring
                                       indices cancel, which left BatchNorm dividing tiny
                                       signals by sqrt(eps) — an ill-conditioned fixture)
    Conv2d bias    (out):              0.1 * cos(0.7*j)
    BatchNorm2d weight:                1 + 0.1 * sin(0.9*j)
    BatchNorm2d bias:                  0.05 * cos(1.1*j)
    BatchNorm2d running_mean:          0.1 * sin(0.3*j)
    BatchNorm2d running_var:           1 + 0.2 * abs(sin(0.5*j))
    BatchNorm2d num_batches_tracked:   0

The products are evaluated left to right as written, e.g. Swift:
`Float((2 * Double(h) / 4294967296 - 1) * (6 / Double(fanIn)).squareRoot())`,
`Float(0.1 * cos(0.7 * Double(j)))`, `Float(1 + 0.2 * abs(sin(0.5 * Double(j))))`.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = ["double_conv", "inconv", "down", "up", "up_add", "outconv", "UNet", "UNet_shallow",
           "UNet_add", "MODELS", "COURSE_PARAMETERS", "build", "parameter_count",
           "formula_state_dict", "load_formula_weights"]


class double_conv(nn.Module):
    """(3x3 conv, padding 1 -> BatchNorm -> ReLU) twice."""

    def __init__(self, in_ch, out_ch):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(in_ch, out_ch, 3, padding=1),
            nn.BatchNorm2d(out_ch),
            nn.ReLU(inplace=True),
            nn.Conv2d(out_ch, out_ch, 3, padding=1),
            nn.BatchNorm2d(out_ch),
            nn.ReLU(inplace=True),
        )

    def forward(self, x):
        return self.conv(x)


class inconv(nn.Module):
    """The first block: a double conv at full resolution."""

    def __init__(self, in_ch, out_ch):
        super().__init__()
        self.conv = double_conv(in_ch, out_ch)

    def forward(self, x):
        return self.conv(x)


class down(nn.Module):
    """2x2 max-pool, then a double conv."""

    def __init__(self, in_ch, out_ch):
        super().__init__()
        self.mpconv = nn.Sequential(nn.MaxPool2d(2), double_conv(in_ch, out_ch))

    def forward(self, x):
        return self.mpconv(x)


def _upsample_to(up_module, x1, x2):
    """Upsamples x1 (bilinear x2, align_corners) and pads it to x2's height and width."""
    x1 = up_module(x1)
    dy = x2.size(2) - x1.size(2)
    dx = x2.size(3) - x1.size(3)
    return F.pad(x1, (dx // 2, dx - dx // 2, dy // 2, dy - dy // 2))


class up(nn.Module):
    """Upsample the deeper map x1, pad it to the skip x2, concatenate [x2, x1], double conv."""

    def __init__(self, in_ch, out_ch):
        super().__init__()
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
        self.conv = double_conv(in_ch, out_ch)

    def forward(self, x1, x2):
        x1 = _upsample_to(self.up, x1, x2)
        x = torch.cat([x2, x1], dim=1)
        return self.conv(x)


class up_add(nn.Module):
    """As `up`, but the skip and the upsampled map are added element-wise (x2 + x1)."""

    def __init__(self, in_ch, out_ch):
        super().__init__()
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
        self.conv = double_conv(in_ch, out_ch)

    def forward(self, x1, x2):
        x1 = _upsample_to(self.up, x1, x2)
        x = x2 + x1
        return self.conv(x)


class outconv(nn.Module):
    """1x1 convolution to the class logits."""

    def __init__(self, in_ch, out_ch):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch, 1)

    def forward(self, x):
        return self.conv(x)


class UNet(nn.Module):
    """The course's UNet: four down-samplings, concatenating skips (`added_skips=True`: UNet_add)."""

    def __init__(self, n_channels, n_classes, base=64, added_skips=False):
        super().__init__()
        b = base
        self.inc = inconv(n_channels, b)
        self.down1 = down(b, 2 * b)
        self.down2 = down(2 * b, 4 * b)
        self.down3 = down(4 * b, 8 * b)
        self.down4 = down(8 * b, 8 * b)
        if added_skips:  # skips added: each decoder block takes half the channels
            ups = [up_add(8 * b, 4 * b), up_add(4 * b, 2 * b), up_add(2 * b, b), up_add(b, b)]
        else:
            ups = [up(16 * b, 4 * b), up(8 * b, 2 * b), up(4 * b, b), up(2 * b, b)]
        self.up1, self.up2, self.up3, self.up4 = ups
        self.outc = outconv(b, n_classes)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x5 = self.down4(x4)
        x = self.up1(x5, x4)
        x = self.up2(x, x3)
        x = self.up3(x, x2)
        x = self.up4(x, x1)
        return self.outc(x)


class UNet_shallow(nn.Module):
    """The course's answer to question 6: two down-samplings (three levels)."""

    def __init__(self, n_channels, n_classes, base=64):
        super().__init__()
        b = base
        self.inc = inconv(n_channels, b)
        self.down1 = down(b, 2 * b)
        self.down2 = down(2 * b, 2 * b)
        self.up1 = up(4 * b, b)
        self.up2 = up(2 * b, b)
        self.outc = outconv(b, n_classes)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x = self.up1(x3, x2)
        x = self.up2(x, x1)
        return self.outc(x)


class UNet_add(UNet):
    """The UNet with `up_add` blocks (skips added, not concatenated)."""

    def __init__(self, n_channels, n_classes, base=64):
        super().__init__(n_channels, n_classes, base, added_skips=True)

MODELS = {"unet": UNet, "shallow": UNet_shallow, "add": UNet_add}

# Parameter counts of the course's networks (base 64, 1 input channel, 2 classes), as
# sum(p.numel() for p in model.parameters()) counts them (BatchNorm buffers not included).
COURSE_PARAMETERS = {"unet": 13_394_242, "shallow": 851_266, "add": 11_809_090}


def parameter_count(model):
    """Number of trainable parameters, as PyTorch counts them."""
    return sum(p.numel() for p in model.parameters())


def build(name, base=64, n_channels=1, n_classes=2):
    """Builds "unet", "shallow" or "add"; with the course's widths, checks the parameter count."""
    if name not in MODELS:
        raise ValueError(f"unknown network {name!r}: expected one of {', '.join(MODELS)}")
    if base < 1:
        raise ValueError(f"base width must be at least 1, got {base}")
    model = MODELS[name](n_channels, n_classes, base=base)
    if base == 64 and n_channels == 1 and n_classes == 2:
        count = parameter_count(model)
        assert count == COURSE_PARAMETERS[name], f"{name}: {count} parameters, expected {COURSE_PARAMETERS[name]}"
    return model


# --- formula weights -------------------------------------------------------------------------

class _Table:
    """f(j) for j = 0..n-1 with the C library's sin/cos in float64, cached and grown on demand."""

    def __init__(self, f):
        self.f = f
        self.values = []

    def __call__(self, n):
        if len(self.values) < n:
            f = self.f
            self.values.extend(f(j) for j in range(len(self.values), n))
        return torch.tensor(self.values[:n], dtype=torch.float64)


_CONV_W = _Table(lambda j: math.sin(1.3 * j + 0.5))
_CONV_B = _Table(lambda j: 0.1 * math.cos(0.7 * j))
_BN_W = _Table(lambda j: 1 + 0.1 * math.sin(0.9 * j))
_BN_B = _Table(lambda j: 0.05 * math.cos(1.1 * j))
_BN_MEAN = _Table(lambda j: 0.1 * math.sin(0.3 * j))
_BN_VAR = _Table(lambda j: 1 + 0.2 * abs(math.sin(0.5 * j)))


def conv_weight_formula(n, fan_in):
    """He-uniform-sized pseudo-random conv weights from an integer hash, exact on any machine:
    h = (j·2654435761 + n·40503) mod 2³², w = (2h/2³² − 1)·√(6/fan_in). (Integer arithmetic, one
    exactly rounded division and square root: Python and Swift produce the same bits.)"""
    j = torch.arange(n, dtype=torch.int64)
    h = (j * 2654435761 + n * 40503) % 4294967296
    return (2 * h.double() / 4294967296.0 - 1) * math.sqrt(6.0 / fan_in)


def _formula(kind, t):
    n = t.numel()
    if kind == "conv.weight":
        fan_in = t.size(1) * t.size(2) * t.size(3)
        v = conv_weight_formula(n, fan_in)
    elif kind == "conv.bias":
        v = _CONV_B(n)
    elif kind == "bn.weight":
        v = _BN_W(n)
    elif kind == "bn.bias":
        v = _BN_B(n)
    elif kind == "bn.running_mean":
        v = _BN_MEAN(n)
    elif kind == "bn.running_var":
        v = _BN_VAR(n)
    elif kind == "bn.num_batches_tracked":
        return torch.zeros_like(t)
    else:
        raise AssertionError(kind)
    return v.to(torch.float32).reshape(t.shape).to(t.dtype)


def formula_state_dict(model):
    """The formula weights (see the module docstring) for every state_dict entry of `model`."""
    kinds = {}
    for prefix, m in model.named_modules():
        dot = prefix + "." if prefix else ""
        if isinstance(m, nn.Conv2d):
            kinds[dot + "weight"] = "conv.weight"
            if m.bias is not None:
                kinds[dot + "bias"] = "conv.bias"
        elif isinstance(m, nn.BatchNorm2d):
            for k in ("weight", "bias", "running_mean", "running_var", "num_batches_tracked"):
                kinds[dot + k] = "bn." + k
    out = {}
    for key, t in model.state_dict().items():
        if key not in kinds:
            raise ValueError(f"no formula for state_dict entry {key!r} (only Conv2d and BatchNorm2d have one)")
        out[key] = _formula(kinds[key], t)
    return out


def load_formula_weights(model):
    """Loads the formula weights into `model` (strict) and returns it."""
    model.load_state_dict(formula_state_dict(model), strict=True)
    return model
