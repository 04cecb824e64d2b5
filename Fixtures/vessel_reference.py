#!/usr/bin/env python3
"""Independent NumPy implementation of the synthetic retinal-vessel recipe -> statistics fixture.

Written from the recipe below (not from the Swift code). It draws many images per
configuration and writes per-image statistics to Tests/Fixtures/vessel_stats.json. The Swift
tests (Tests/SyntheticDataTests/VesselStatisticsTests.swift) draw their own images from a
different random stream and compare the distributions (means and standard deviations within a
few standard errors).

Recipe (H rows, W columns, s = min(H, W); coordinates x = column, y = row, pixel centres at
integers):

  Field of view (FOV): centre c = ((W-1)/2, (H-1)/2), radius R = 0.47 s; a pixel is inside when
  |p - c|^2 <= R^2.
  Optic disc: side = +1 or -1 (probability 1/2 each); centre c + (side * U(0.55, 0.7) R,
  U(-0.1, 0.1) R); radius rd = 0.09 R. Fovea: c + (-side * U(0, 0.1) R, U(-0.05, 0.05) R).
  Trunk width w0 = (0.8 + 0.013 s) * U(0.9, 1.1); branches stop below w_stop = max(0.8, 0.22 w0).
  Six trunks leave the disc edge (start = disc centre + rd (cos a, sin a)) at angle a, with
  phi_c = 0 if side = -1 else pi (pointing towards the fovea):
      a = phi_c + U(0.5, 1.1), width w0;         a = phi_c + U(0.5, 1.1), width 0.75 w0
      a = phi_c - U(0.5, 1.1), width w0;         a = phi_c - U(0.5, 1.1), width 0.75 w0
      a = phi_c + pi + U(0.2, 0.9), width 0.6 w0; a = phi_c + pi - U(0.2, 0.9), width 0.6 w0
  Two border vessels: angle psi = U(0, 2 pi), start c + (R - 2)(cos psi, sin psi), direction
  psi + pi + U(-0.6, 0.6), width 0.5 w0.
  Growth of one segment of width w (a queue of segments, first in first out): length
  L = U(6, 14) * max(w, 1.5) px; curvature k = U(-1, 1) * 0.5 / L rad/px; steps of 0.5 px:
      angle += 0.5 k + N(0, 0.03); p += 0.5 (cos angle, sin angle);
      if |p - c| > R - 1: the branch ends (no children); else stamp(p, w).
  At the end of the segment it splits (Murray's law, w^3 = w1^3 + w2^3): alpha = U(0.3, 1),
  w1 = w (1 + alpha^3)^(-1/3), w2 = alpha w1; branching angles from Murray's optimum
      cos t1 = (w^4 + w1^4 - w2^4) / (2 w^2 w1^2), cos t2 = (w^4 + w2^4 - w1^4) / (2 w^2 w2^2)
  (clipped to [-1, 1]); sign = +-1; child 1 leaves at angle + sign (t1 + N(0, 0.1)), child 2
  at angle - sign (t2 + N(0, 0.1)); a child is grown only if its width >= w_stop.
  At most 10 s^2 steps per image in all (a safety budget; not reached in practice).
  stamp(p, w): r = max(w, 1) / 2; every pixel q with |q - p|^2 <= r^2 and the pixel nearest
  to p (floor(p + 1/2) on each axis) become vessel; darkness D(q) = max(D(q), c_w (1 - 0.5 |q - p|^2 / r^2))
  (the nearest pixel: c_w * 0.5 when it lies outside r), c_w = 0.4 min(1, (w + 1) / 4).
  Labels: vessel pixels inside the FOV.
  Image (grey = the green channel), inside the FOV:
      illumination = 1 - 0.45 (|p - c| / R)^2 + g ((x - cx) cos b + (y - cy) sin b) / R,
          g = U(0, 0.15), b = U(0, 2 pi)
      texture = sum over 4 waves of 0.03 sin(2 pi (fx x + fy y) / s + phase),
          |f| = U(2, 6), direction U(0, 2 pi), phase U(0, 2 pi)
      bg = 0.55 illumination (1 + texture) + 0.35 exp(-|p - disc|^2 / (2 rd^2))
           - 0.08 exp(-|p - fovea|^2 / (2 (0.1 R)^2))
      grey = clip(bg (1 - D) + N(0, sigma), 0, 1); outside the FOV: 0.
  RGB: red = clip(1.25 grey + 0.25), green = grey, blue = 0.4 grey (0 outside the FOV).

Usage: python3 Fixtures/vessel_reference.py [out.json]   (NumPy, and OpenCV for connected
components; about 3 minutes; --quick prints 40 images per configuration and writes nothing)
"""
import json
import math
import os
import sys

import cv2
import numpy as np

SEED = 20260601
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures",
                   "vessel_stats.json")

# name, width, height, sigma, images drawn
CONFIGS = [
    ("fundus_128", 128, 128, 0.02, 3000),
    ("fundus_96x80", 96, 80, 0.02, 3000),
    ("fundus_256", 256, 256, 0.02, 800),
    ("fundus_64_noiseless", 64, 64, 0.0, 3000),
]


def u(rng, a, b):
    return rng.uniform(a, b)


class Drawing:
    def __init__(self, rng, W, H):
        self.rng, self.W, self.H = rng, W, H
        s = min(W, H)
        self.s = s
        self.cx, self.cy = (W - 1) / 2.0, (H - 1) / 2.0
        self.R = 0.47 * s
        self.vessel = np.zeros((H, W), dtype=bool)
        self.dark = np.zeros((H, W))
        self.length_steps = 0
        self.width_sum = 0.0
        self.thin_steps = 0
        self.segments = 0
        self.budget = 10 * s * s
        self.stamps = []

    def stamp(self, px, py, w):
        self.stamps.append((px, py, w))

    def rasterise(self):
        """Every stamp at once: the pixels of the box around each centre, tested against r."""
        if not self.stamps:
            return
        st = np.asarray(self.stamps)
        px, py, w = st[:, 0], st[:, 1], st[:, 2]
        r = np.maximum(w, 1.0) / 2.0
        cw = 0.4 * np.minimum(1.0, (w + 1.0) / 4.0)
        K = int(math.ceil(r.max())) + 1
        bx, by = np.floor(px).astype(np.int64), np.floor(py).astype(np.int64)
        for oy in range(-K, K + 2):
            for ox in range(-K, K + 2):
                qx, qy = bx + ox, by + oy
                d2 = (qx - px) ** 2 + (qy - py) ** 2
                ok = (d2 <= r * r) & (qx >= 0) & (qx < self.W) & (qy >= 0) & (qy < self.H)
                self.vessel[qy[ok], qx[ok]] = True
                np.maximum.at(self.dark, (qy[ok], qx[ok]), cw[ok] * (1 - 0.5 * d2[ok] / (r[ok] * r[ok])))
        # the pixel nearest to each centre (round half away from zero; coordinates are >= 0 here)
        nx_, ny_ = np.floor(px + 0.5).astype(np.int64), np.floor(py + 0.5).astype(np.int64)
        ok = (nx_ >= 0) & (nx_ < self.W) & (ny_ >= 0) & (ny_ < self.H)
        d2 = (nx_ - px) ** 2 + (ny_ - py) ** 2
        value = np.where(d2 <= r * r, cw * (1 - 0.5 * d2 / (r * r)), cw * 0.5)
        self.vessel[ny_[ok], nx_[ok]] = True
        np.maximum.at(self.dark, (ny_[ok], nx_[ok]), value[ok])

    def grow(self, queue):
        rng = self.rng
        limit = self.R - 1
        while queue:
            px, py, angle, w = queue.pop(0)
            self.segments += 1
            L = u(rng, 6, 14) * max(w, 1.5)
            k = u(rng, -1, 1) * 0.5 / L
            n = int(math.ceil(L / 0.5))
            ended = False
            for _ in range(n):
                if self.budget <= 0:
                    return
                self.budget -= 1
                angle += 0.5 * k + rng.normal(0.0, 0.03)
                px += 0.5 * math.cos(angle)
                py += 0.5 * math.sin(angle)
                if (px - self.cx) ** 2 + (py - self.cy) ** 2 > limit * limit:
                    ended = True
                    break
                self.stamp(px, py, w)
                self.length_steps += 1
                self.width_sum += max(w, 1.0)
                if max(w, 1.0) < 2.0:
                    self.thin_steps += 1
            if ended:
                continue
            alpha = u(rng, 0.3, 1.0)
            w1 = w * (1 + alpha ** 3) ** (-1.0 / 3.0)
            w2 = alpha * w1
            c1 = (w ** 4 + w1 ** 4 - w2 ** 4) / (2 * w * w * w1 * w1)
            c2 = (w ** 4 + w2 ** 4 - w1 ** 4) / (2 * w * w * w2 * w2)
            t1 = math.acos(min(1.0, max(-1.0, c1)))
            t2 = math.acos(min(1.0, max(-1.0, c2)))
            sign = 1.0 if rng.uniform() < 0.5 else -1.0
            a1 = angle + sign * (t1 + rng.normal(0.0, 0.1))
            a2 = angle - sign * (t2 + rng.normal(0.0, 0.1))
            if w1 >= self.stop_width:
                queue.append((px, py, a1, w1))
            if w2 >= self.stop_width:
                queue.append((px, py, a2, w2))


def draw(rng, W, H, sigma):
    d = Drawing(rng, W, H)
    R, cx, cy = d.R, d.cx, d.cy
    side = 1.0 if rng.uniform() < 0.5 else -1.0
    disc_x = cx + side * u(rng, 0.55, 0.7) * R
    disc_y = cy + u(rng, -0.1, 0.1) * R
    rd = 0.09 * R
    fovea_x = cx - side * u(rng, 0.0, 0.1) * R
    fovea_y = cy + u(rng, -0.05, 0.05) * R
    w0 = (0.8 + 0.013 * d.s) * u(rng, 0.9, 1.1)
    d.stop_width = max(0.8, 0.22 * w0)
    phi_c = 0.0 if side < 0 else math.pi
    trunks = [
        (phi_c + u(rng, 0.5, 1.1), w0), (phi_c + u(rng, 0.5, 1.1), 0.75 * w0),
        (phi_c - u(rng, 0.5, 1.1), w0), (phi_c - u(rng, 0.5, 1.1), 0.75 * w0),
        (phi_c + math.pi + u(rng, 0.2, 0.9), 0.6 * w0), (phi_c + math.pi - u(rng, 0.2, 0.9), 0.6 * w0),
    ]
    queue = [(disc_x + rd * math.cos(a), disc_y + rd * math.sin(a), a, w) for a, w in trunks]
    for _ in range(2):
        psi = u(rng, 0, 2 * math.pi)
        queue.append((cx + (R - 2) * math.cos(psi), cy + (R - 2) * math.sin(psi),
                      psi + math.pi + u(rng, -0.6, 0.6), 0.5 * w0))
    d.grow(queue)
    d.rasterise()

    ys, xs = np.mgrid[0:H, 0:W].astype(np.float64)
    r2 = (xs - cx) ** 2 + (ys - cy) ** 2
    fov = r2 <= R * R
    g = u(rng, 0, 0.15)
    b = u(rng, 0, 2 * math.pi)
    illumination = 1 - 0.45 * r2 / (R * R) + g * ((xs - cx) * math.cos(b) + (ys - cy) * math.sin(b)) / R
    texture = np.zeros((H, W))
    for _ in range(4):
        f = u(rng, 2, 6)
        direction = u(rng, 0, 2 * math.pi)
        phase = u(rng, 0, 2 * math.pi)
        texture += 0.03 * np.sin(2 * math.pi * f * (math.cos(direction) * xs + math.sin(direction) * ys) / d.s + phase)
    bg = (0.55 * illumination * (1 + texture)
          + 0.35 * np.exp(-((xs - disc_x) ** 2 + (ys - disc_y) ** 2) / (2 * rd * rd))
          - 0.08 * np.exp(-((xs - fovea_x) ** 2 + (ys - fovea_y) ** 2) / (2 * (0.1 * R) ** 2)))
    grey = bg * (1 - d.dark)
    if sigma > 0:
        grey = grey + rng.normal(0.0, sigma, size=grey.shape)
    grey = np.clip(grey, 0, 1)
    grey[~fov] = 0
    label = d.vessel & fov
    return grey, label, fov, d


def statistics(grey, label, fov, d):
    fov_count = fov.sum()
    vessel = label.sum()
    background = fov & ~label
    n_components, _ = cv2.connectedComponents(label.astype(np.uint8), connectivity=8)
    return {
        "vessel_fraction": vessel / fov_count,
        "fov_fraction": fov_count / fov.size,
        "centreline_length": d.length_steps * 0.5,
        "mean_width": d.width_sum / max(d.length_steps, 1),
        "thin_fraction": d.thin_steps / max(d.length_steps, 1),
        "segments": float(d.segments),
        "components": float(n_components - 1),
        "fov_mean": grey[fov].mean(),
        "contrast": grey[background].mean() - grey[label].mean(),
    }


def summarize(values):
    v = np.asarray(values, dtype=np.float64)
    mean = float(v.mean())
    std = float(v.std(ddof=1))
    kurtosis = float(((v - mean) ** 4).mean() / std ** 4) if std > 0 else 0.0
    return {"mean": mean, "std": std, "kurtosis": kurtosis, "n": len(v)}


def main():
    rng = np.random.default_rng(SEED)
    out = {
        "about": "Statistics of the synthetic retinal-vessel recipe drawn by Fixtures/vessel_reference.py "
                 "(NumPy %s, seed %d). Per configuration and per-image statistic: mean, sample std "
                 "(ddof 1), kurtosis (m4 / std^4) and the number of images n." % (np.__version__, SEED),
        "configs": [],
    }
    quick = "--quick" in sys.argv
    for name, W, H, sigma, n in CONFIGS:
        if quick:
            n = 40
        values = {}
        for _ in range(n):
            grey, label, fov, d = draw(rng, W, H, sigma)
            for k, v in statistics(grey, label, fov, d).items():
                values.setdefault(k, []).append(float(v))
        # 10 significant digits: NumPy's float64 sums differ in the last bit between AVX2 and
        # AVX-512 machines, and the tests compare far more loosely than this.
        stats = {k: {s: (float("%.10g" % x) if isinstance(x, float) else x) for s, x in summarize(v).items()}
                 for k, v in values.items()}
        out["configs"].append({"name": name, "width": W, "height": H, "sigma": sigma, "stats": stats})
        print("%-20s" % name, ", ".join("%s %.4f±%.4f" % (k, v["mean"], v["std"]) for k, v in stats.items()))
    if quick:
        return
    path = next((a for a in sys.argv[1:] if not a.startswith("--")), OUT)
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(path))


if __name__ == "__main__":
    main()
