#!/usr/bin/env python3
"""Fixtures for the data pipeline: preprocessing from OpenCV, sliding windows by MONAI's rule.

Writes Tests/Fixtures/data.safetensors (or the path given as the first argument):

  grey.rgb / grey.out           cv2.cvtColor(RGB2GRAY) on an 8-bit 23x17 RGB image (U8)
  eq.<case>.in / .out           cv2.equalizeHist on 8-bit images of odd sizes (U8), incl. a
                                constant image and one with only two grey levels
  clahe.<case>.in / .out        cv2.createCLAHE(clipLimit, (tilesX, tilesY)).apply (U8);
  clahe.<case>.params           [clipLimit, tilesX, tilesY] (F64)
  gamma.<g>.lut                 retina-unet's adjust_gamma table through cv2.LUT (U8, 256)
  window.<i>.params             [height, width, patch, overlap] (F64)
  window.<i>.starts_y / _x      window starts by MONAI's rule (I64; see below)
  importance.<p>                MONAI's Gaussian importance map (sigma 0.125 p), p x p (F32)
  stitch.<case>.in / .out       a 1 x 2 x H x W image and the sliding-window prediction of the
  stitch.<case>.params          patch model below: [patch, overlap, gaussian 0/1, batch] (F64)

MONAI's rule (monai.inferers.sliding_window_inference, monai.data.utils.dense_patch_slices),
re-implemented here from its documented semantics: an image smaller than the patch is padded
with zeros to the patch size (half of the difference before, the rest after) and the
prediction cropped back; interval = int(patch * (1 - overlap)) (at least 1; the patch itself
when patch == size); windows start at k * interval for k = 0, 1, ... up to the first that
reaches the end, the last one moved back to end at the border; overlapping predictions are
averaged with weights w (constant 1, or the Gaussian map exp(-x^2 / (2 (0.125 p)^2)) per axis,
x measured from the patch centre (p - 1) / 2, clamped below at max(min, 1e-3)):
out = sum(w * pred) / sum(w). When MONAI is importable the script checks its windows and
stitched results against MONAI's own; it does not need it.

The patch model (deterministic, depends on the whole patch so that stitching matters):
  out[:, 0] = x[:, 0] - mean(x[:, 0] over the patch);  out[:, 1] = x[:, 1]^2 + 0.5 x[:, 0]

Usage: python3 Fixtures/make_data_fixtures.py [out.safetensors]   (NumPy, OpenCV, torch)
"""
import os
import sys

import reproducible_torch  # noqa: F401  (before torch: the same bytes on every CPU)
import cv2
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import write_safetensors  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "data.safetensors")
tensors = {}


def put_u8(name, a):
    tensors[name] = torch.from_numpy(np.ascontiguousarray(a, dtype=np.uint8))


def put_f64(name, values):
    tensors[name] = torch.tensor(values, dtype=torch.float64)


def fundus_like(rng, h, w):
    """A dark, uneven 8-bit test image with thin dark lines and noise (not a real fundus)."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    base = 60 + 50 * np.exp(-((x - 0.6 * w) ** 2 + (y - 0.45 * h) ** 2) / (2 * (0.35 * max(h, w)) ** 2))
    for _ in range(6):
        a, b, c = rng.normal(size=3)
        base -= 25 * np.exp(-((a * x + b * y) / np.hypot(a, b) + c * 10 - rng.uniform(0, max(h, w))) ** 2 / 4.0)
    base += rng.normal(0, 6, size=(h, w))
    return np.clip(np.round(base), 0, 255).astype(np.uint8)


def preprocessing_cases():
    rng = np.random.default_rng(13)
    rgb = rng.integers(0, 256, size=(17, 23, 3), dtype=np.uint8)
    put_u8("grey.rgb", rgb)
    put_u8("grey.out", cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))

    images = {
        "odd_37x53": fundus_like(rng, 37, 53),
        "square_64": fundus_like(rng, 64, 64),
        "wide_77x101": fundus_like(rng, 77, 101),
        "tall_130x129": fundus_like(rng, 130, 129),
        "full_range_20x30": rng.integers(0, 256, size=(20, 30), dtype=np.uint8),
    }
    for name, im in images.items():
        put_u8("eq.%s.in" % name, im)
        put_u8("eq.%s.out" % name, cv2.equalizeHist(im))
    constant = np.full((9, 11), 77, dtype=np.uint8)
    two_levels = np.where(rng.uniform(size=(15, 13)) < 0.3, 40, 200).astype(np.uint8)
    for name, im in [("constant_9x11", constant), ("two_levels_15x13", two_levels)]:
        put_u8("eq.%s.in" % name, im)
        put_u8("eq.%s.out" % name, cv2.equalizeHist(im))

    clahe_cases = [
        ("retina_unet_64", images["square_64"], 2.0, 8, 8),       # tiles divide the image
        ("odd_37x53", images["odd_37x53"], 2.0, 8, 8),            # neither side divides
        ("wide_77x101", images["wide_77x101"], 2.0, 8, 8),
        ("tall_130x129", images["tall_130x129"], 3.0, 4, 6),      # width 129 = ..., grid not square
        ("rows_only_64x50", fundus_like(rng, 50, 64), 2.0, 8, 8),  # width divides, height does not
        ("default_clip_77x101", images["wide_77x101"], 40.0, 8, 8),
        ("no_clip_37x53", images["odd_37x53"], 0.0, 3, 5),
        ("tight_clip_full", images["full_range_20x30"], 0.5, 2, 3),
        ("tiny_5x7", fundus_like(rng, 5, 7), 2.0, 8, 8),          # more tiles than pixels
        ("constant_9x11", constant, 2.0, 2, 2),
    ]
    for name, im, clip, tx, ty in clahe_cases:
        out = cv2.createCLAHE(clipLimit=clip, tileGridSize=(tx, ty)).apply(im)
        put_u8("clahe.%s.in" % name, im)
        put_u8("clahe.%s.out" % name, out)
        put_f64("clahe.%s.params" % name, [clip, tx, ty])

    for g in [1.2, 0.5, 2.2]:
        inv = 1.0 / g
        table = np.array([((i / 255.0) ** inv) * 255 for i in np.arange(0, 256)]).astype("uint8")
        put_u8("gamma.%s.lut" % g, cv2.LUT(np.arange(256, dtype=np.uint8).reshape(16, 16), table).reshape(256))


# ---------------------------------------------------------------- sliding windows (MONAI's rule)

def window_starts(size, patch, overlap):
    """Starts along one axis of an image already padded to at least the patch size."""
    if patch == size:
        interval = patch
    else:
        interval = int(patch * (1 - overlap))
        interval = interval if interval > 0 else 1
    count = 1
    for k in range(-(-size // interval)):
        if k * interval + patch >= size:
            count = k + 1
            break
    return [k * interval - max(k * interval + patch - size, 0) for k in range(count)]


def importance_map(patch, gaussian):
    if not gaussian:
        return torch.ones(patch, patch)
    sigma = patch * 0.125
    x = torch.arange(start=-(patch - 1) / 2.0, end=(patch - 1) / 2.0 + 1, dtype=torch.float)
    x = torch.exp(x ** 2 / (-2 * sigma ** 2))
    m = x.unsqueeze(-1) * x.unsqueeze(0)
    return torch.clamp(m, min=max(torch.min(m).item(), 1e-3))


def patch_model(x):
    out0 = x[:, 0] - x[:, 0].mean(dim=(1, 2), keepdim=True)
    out1 = x[:, 1] ** 2 + 0.5 * x[:, 0]
    return torch.stack([out0, out1], dim=1)


def stitch(image, patch, overlap, gaussian, batch):
    """image 1 x C x H x W (float64) -> 1 x K x H x W by the rule in the module docstring."""
    _, c, h, w = image.shape
    ph, pw = max(patch - h, 0), max(patch - w, 0)
    padded = torch.nn.functional.pad(image, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))
    H, W = padded.shape[2:]
    windows = [(y, x) for y in window_starts(H, patch, overlap) for x in window_starts(W, patch, overlap)]
    weight = importance_map(patch, gaussian).to(torch.float64)
    total = torch.zeros(1, 2, H, W, dtype=torch.float64)
    count = torch.zeros(1, 1, H, W, dtype=torch.float64)
    for b in range(0, len(windows), batch):
        chunk = windows[b:b + batch]
        x = torch.cat([padded[:, :, y:y + patch, x:x + patch] for y, x in chunk])
        pred = patch_model(x)
        for i, (y, x) in enumerate(chunk):
            total[:, :, y:y + patch, x:x + patch] += weight * pred[i]
            count[:, :, y:y + patch, x:x + patch] += weight
    out = total / count
    return out[:, :, ph // 2:ph // 2 + h, pw // 2:pw // 2 + w]


WINDOW_CASES = [(64, 64, 48, 0.25), (100, 77, 48, 0.5), (65, 65, 64, 0.1), (31, 200, 32, 0.0),
                (48, 48, 48, 0.5), (57, 91, 13, 0.875), (7, 9, 4, 0.9), (130, 129, 64, 0.3)]
STITCH_CASES = [("constant_50x61_p16", 50, 61, 16, 0.25, False, 4),
                ("gaussian_50x61_p16", 50, 61, 16, 0.5, True, 3),
                ("gaussian_33x29_p9", 33, 29, 9, 0.3, True, 5),
                ("small_10x13_p16", 10, 13, 16, 0.25, True, 2),
                ("constant_40x40_p8_odd", 40, 40, 8, 0.6, False, 7)]


def window_cases():
    try:
        if os.environ.get("MONAI_PATH"):
            sys.path.insert(0, os.environ["MONAI_PATH"])
        from monai.data.utils import dense_patch_slices
        from monai.inferers import sliding_window_inference
        from monai.data.utils import compute_importance_map
        from monai.inferers.utils import _get_scan_interval
    except ImportError:
        dense_patch_slices = None
    for i, (h, w, p, o) in enumerate(WINDOW_CASES):
        H, W = max(h, p), max(w, p)
        ys, xs = window_starts(H, p, o), window_starts(W, p, o)
        if dense_patch_slices is not None:
            interval = _get_scan_interval((H, W), (p, p), 2, (o, o))
            theirs = dense_patch_slices((H, W), (p, p), interval, return_slice=False)
            ours = [((y, y + p), (x, x + p)) for y in ys for x in xs]
            assert [tuple(map(tuple, s)) for s in theirs] == ours, (h, w, p, o, theirs, ours)
        put_f64("window.%d.params" % i, [h, w, p, o])
        tensors["window.%d.starts_y" % i] = torch.tensor(ys, dtype=torch.int64)
        tensors["window.%d.starts_x" % i] = torch.tensor(xs, dtype=torch.int64)
    for p in [8, 13, 48]:
        m = importance_map(p, True)
        if dense_patch_slices is not None:
            assert torch.equal(m, compute_importance_map((p, p), mode="gaussian", sigma_scale=0.125)), p
        tensors["importance.%d" % p] = m.contiguous()
    gen = torch.Generator().manual_seed(7)
    for name, h, w, p, o, gaussian, batch in STITCH_CASES:
        image = torch.rand(1, 2, h, w, generator=gen, dtype=torch.float64)
        out = stitch(image, p, o, gaussian, batch)
        if dense_patch_slices is not None:
            theirs = sliding_window_inference(image, (p, p), batch, patch_model, overlap=o,
                                              mode="gaussian" if gaussian else "constant", sigma_scale=0.125)
            assert torch.allclose(theirs.to(torch.float64), out, atol=1e-5), name
        tensors["stitch.%s.in" % name] = image.to(torch.float32)
        tensors["stitch.%s.out" % name] = out.to(torch.float32)
        put_f64("stitch.%s.params" % name, [p, o, 1.0 if gaussian else 0.0, batch])
    return dense_patch_slices is not None


def main():
    torch.set_num_threads(1)
    preprocessing_cases()
    checked = window_cases()
    out = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else OUT)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    write_safetensors(out, tensors, {"opencv": cv2.__version__, "script": "Fixtures/make_data_fixtures.py"})
    print("wrote %d tensors to %s (%d bytes)%s" % (len(tensors), out, os.path.getsize(out),
                                                  "; windows checked against MONAI" if checked else ""))


if __name__ == "__main__":
    main()
