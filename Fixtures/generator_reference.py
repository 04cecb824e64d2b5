#!/usr/bin/env python3
"""Independent NumPy implementation of the course's shape generator -> statistics fixture.

The course (seed 004) uses tf_unet's image_gen.GrayScaleDataProvider with border, r_min and
r_max scaled to the image size. This script re-implements that recipe with NumPy only,
written from the description (not from the Swift code), draws many images per configuration
and writes statistics of them to Tests/Fixtures/generator_stats.json. The Swift tests draw
their own images with UNetKit's SeededGenerator (a different random stream), so they compare
distributions, not pixels: see Tests/SyntheticDataTests/GeneratorStatisticsTests.swift.

Recipe per image (H = ny rows, W = nx columns, s = (nx + ny) / 2):
  border = floor(0.2 s), r_min = max(1, floor(0.05 s)), r_max = max(r_min + 1, floor(0.3 s))
  image = ones; label = zeros (class 0)
  cnt circles: a = randint(border, ny - border) (row), b = randint(border, nx - border) (col),
      r = randint(r_min, r_max), h = randint(1, 255); (y-a)^2 + (x-b)^2 <= r^2 -> image h, class 1
  rectangles: cnt // 2 squares: a = randint(ny), b = randint(nx), r = randint(r_min, r_max),
      h = randint(1, 255); image[a:a+r, b:b+r] = h, class 2 (a later shape wins, also in the label)
  image += normal(0, sigma); image -= min; image /= max

Usage: python3 Fixtures/generator_reference.py   (NumPy only; about a minute)
"""
import json
import math
import os

import numpy as np

SEED = 20240403
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures",
                   "generator_stats.json")

# name, nx (width), ny (height), cnt, sigma, rectangles, images drawn
CONFIGS = [
    ("course_128", 128, 128, 10, 20.0, False, 20000),
    ("wide_96x64", 96, 64, 5, 10.0, False, 20000),
    ("rectangles_128", 128, 128, 10, 20.0, True, 20000),
    ("small_16", 16, 16, 3, 5.0, False, 40000),
    ("noiseless_100x120", 100, 120, 10, 0.0, False, 20000),
]

GEOMETRY_SIZES = [(16, 16), (17, 31), (32, 32), (64, 64), (96, 64), (100, 120), (128, 128),
                  (200, 120), (256, 256), (572, 572)]


def geometry(nx, ny):
    s = (nx + ny) / 2.0
    border = int(math.floor(0.2 * s))
    r_min = max(1, int(math.floor(0.05 * s)))
    r_max = max(r_min + 1, int(math.floor(0.3 * s)))
    return border, r_min, r_max


def create_image_and_label(rng, nx, ny, cnt, sigma, rectangles):
    border, r_min, r_max = geometry(nx, ny)
    image = np.ones((ny, nx))
    label = np.zeros((ny, nx), dtype=np.int64)
    y, x = np.ogrid[0:ny, 0:nx]
    for _ in range(cnt):
        a = rng.integers(border, ny - border)
        b = rng.integers(border, nx - border)
        r = rng.integers(r_min, r_max)
        h = rng.integers(1, 255)
        m = (y - a) ** 2 + (x - b) ** 2 <= r * r
        image[m] = h
        label[m] = 1
    if rectangles:
        for _ in range(cnt // 2):
            a = rng.integers(0, ny)
            b = rng.integers(0, nx)
            r = rng.integers(r_min, r_max)
            h = rng.integers(1, 255)
            image[a:a + r, b:b + r] = h
            label[a:a + r, b:b + r] = 2
    image = image + rng.normal(0.0, sigma, size=image.shape)
    image -= image.min()
    top = image.max()
    if top > 0:
        image /= top
    return image, label


def summarize(values):
    v = np.asarray(values, dtype=np.float64)
    mean = float(v.mean())
    std = float(v.std(ddof=1))
    kurtosis = float(((v - mean) ** 4).mean() / std ** 4) if std > 0 else 0.0
    return {"mean": mean, "std": std, "kurtosis": kurtosis}


def run(rng, nx, ny, cnt, sigma, rectangles, n):
    stats = {"circle_fraction": [], "square_fraction": [], "image_mean": [],
             "background_mean": [], "image_std": []}
    for _ in range(n):
        image, label = create_image_and_label(rng, nx, ny, cnt, sigma, rectangles)
        background = label == 0
        stats["circle_fraction"].append((label == 1).mean())
        stats["square_fraction"].append((label == 2).mean())
        stats["image_mean"].append(image.mean())
        stats["image_std"].append(image.std())
        # images with no background pixel (rare) have no background mean: skipped
        if background.any():
            stats["background_mean"].append(image[background].mean())
    if not rectangles:
        del stats["square_fraction"]
    return {k: dict(summarize(v), n=len(v)) for k, v in stats.items()}


def main():
    rng = np.random.default_rng(SEED)
    out = {
        "about": "Statistics of the course's shape generator drawn by Fixtures/generator_reference.py "
                 "(NumPy %s, seed %d). Per configuration and per-image statistic: mean, sample std "
                 "(ddof 1), kurtosis (m4 / std^4) and the number of images n." % (np.__version__, SEED),
        "geometry": [dict(zip(["nx", "ny", "border", "r_min", "r_max"], [nx, ny, *geometry(nx, ny)]))
                     for nx, ny in GEOMETRY_SIZES],
        "configs": [],
    }
    for name, nx, ny, cnt, sigma, rectangles, n in CONFIGS:
        stats = run(rng, nx, ny, cnt, sigma, rectangles, n)
        out["configs"].append({"name": name, "nx": nx, "ny": ny, "cnt": cnt, "sigma": sigma,
                               "rectangles": rectangles, "stats": stats})
        print("%-18s" % name, ", ".join("%s %.4f±%.4f" % (k, v["mean"], v["std"]) for k, v in stats.items()))
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1, sort_keys=False)
        f.write("\n")
    print("wrote", os.path.relpath(OUT))


if __name__ == "__main__":
    main()
