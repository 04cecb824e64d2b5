#!/usr/bin/env python3
"""Makes the fixtures for UNetKit's losses, optimisers, schedules and metrics.

    python3 Fixtures/make_training_fixtures.py      # writes Tests/Fixtures/training.safetensors

References:
  losses       torchvision.ops.sigmoid_focal_loss, F.binary_cross_entropy_with_logits,
               F.cross_entropy, torch.softmax / F.log_softmax (forward, and the gradient of
               a random upstream `gy` by autograd); the soft Dice / IoU losses as
               segmentation_models_pytorch and MONAI define them, and seed 001's TensorFlow focal
               losses, ported line by line to torch (autograd gives their gradients);
  optimisers   torch.optim.Adam / AdamW (parameters after every step, for given gradients)
               and torch.optim.lr_scheduler.StepLR / CosineAnnealingLR (learning rate per epoch);
  metrics      sklearn.metrics: roc_curve, roc_auc_score, precision_recall_curve,
               average_precision_score, confusion_matrix and the scores made from it.

Inputs are random with fixed seeds, on one thread, so re-running the script reproduces the file
byte for byte. Learning rates are stored in the metadata as Python reprs (exact doubles).
"""
import importlib.util
import os
import sys
import warnings

import reproducible_torch  # noqa: F401  (before torch: the same bytes on every CPU)
import numpy as np
import torch
import torch.nn.functional as F
from sklearn import metrics as skm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import FixtureTensors, write_safetensors  # noqa: E402

EXPECTED_TORCH = "2.13.0"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "training.safetensors")

tensors = FixtureTensors()
metadata = {}


put = tensors.put


def torchvision_sigmoid_focal_loss():
    """torchvision.ops.sigmoid_focal_loss. When torchvision's compiled extension cannot load
    (a CUDA build of torchvision beside a CPU torch), its focal_loss.py — pure Python — is run
    from the installed package's source without importing the package."""
    try:
        from torchvision.ops import sigmoid_focal_loss
        return sigmoid_focal_loss
    except Exception:  # noqa: BLE001 — any import failure of the compiled package
        spec = importlib.util.find_spec("torchvision")
        if spec is None or not spec.submodule_search_locations:
            raise
        path = os.path.join(list(spec.submodule_search_locations)[0], "ops", "focal_loss.py")
        source = open(path).read().replace("from ..utils import _log_api_usage_once",
                                           "_log_api_usage_once = lambda *_: None")
        namespace = {}
        exec(compile(source, path, "exec"), namespace)
        return namespace["sigmoid_focal_loss"]


def record_loss(case, fn, inputs, names):
    """fn(*leaves) -> scalar loss. Stores the inputs, the loss y, a random upstream gy and the
    gradient of gy·y for the first input (the prediction)."""
    leaf = inputs[0].clone().requires_grad_(True)
    y = fn(leaf, *inputs[1:])
    gy = torch.randn(()) + 2
    y.backward(gy)
    for n, t in zip(names, inputs):
        put(f"{case}.{n}", t)
    put(f"{case}.y", y)
    put(f"{case}.gy", gy)
    put(f"{case}.g{names[0]}", leaf.grad)


def binary(*shape, p=0.3):
    return (torch.rand(shape) < p).float()


def logits_with_extremes(*shape, scale=3.0):
    x = torch.randn(shape) * scale
    flat = x.view(-1)
    extremes = torch.tensor([100.0, -100.0, 30.0, -30.0, 17.0, -17.0, 0.0])
    flat[: min(len(extremes), flat.numel())] = extremes[: flat.numel()]
    return x


def focal_cases():
    focal = torchvision_sigmoid_focal_loss()
    cases = {
        # case: (logits, target, alpha, gamma, reduction)
        "focal.default": (torch.randn(2, 1, 5, 3) * 3, binary(2, 1, 5, 3), 0.25, 2.0, "mean"),
        "focal.extremes": (logits_with_extremes(3, 7), binary(3, 7, p=0.5), 0.25, 2.0, "mean"),
        "focal.noalpha": (logits_with_extremes(4, 5), binary(4, 5), -1.0, 2.0, "mean"),
        "focal.alpha75.gamma3.sum": (torch.randn(2, 3, 3) * 2, binary(2, 3, 3), 0.75, 3.0, "sum"),
        "focal.gamma0": (logits_with_extremes(5, 3), binary(5, 3), 0.5, 0.0, "mean"),
        "focal.gamma_half.soft": (torch.randn(3, 4) * 2, torch.rand(3, 4), 0.25, 0.5, "mean"),
    }
    for case, (x, t, alpha, gamma, reduction) in cases.items():
        record_loss(case, lambda l, t: focal(l, t, alpha=alpha, gamma=gamma, reduction=reduction), [x, t], ["x", "t"])
        put(f"{case}.alpha", torch.tensor(alpha))
        put(f"{case}.gamma", torch.tensor(gamma))
        put(f"{case}.sum", torch.tensor(1.0 if reduction == "sum" else 0.0))


def seed_tf_focal_loss(y_pred, y_true, alpha, gamma, epsilon=1e-5):
    """Seed 001's second TensorFlow focal loss, ported line by line (tf.* -> torch.*)."""
    y_pred = torch.clamp(y_pred, epsilon, 1 - epsilon)
    logits = torch.log(y_pred / (1 - y_pred))
    weight_a = alpha * torch.pow((1 - y_pred), gamma) * y_true
    weight_b = (1 - alpha) * torch.pow(y_pred, gamma) * (1 - y_true)
    loss = torch.log1p(torch.exp(-logits)) * (weight_a + weight_b) + logits * weight_b
    return torch.mean(loss)


def seed_focal_loss_with_multiply_bug(logits, labels, alpha, gamma):
    """Seed 001's first TensorFlow snippet, ported line by line: (1-y_pred)*gamma multiplies."""
    y_pred = torch.sigmoid(logits)
    return (-labels * (1 - alpha) * ((1 - y_pred) * gamma) * torch.log(y_pred)
            - (1 - labels) * alpha * (y_pred ** gamma) * torch.log(1 - y_pred))


def clipped_focal_cases():
    for case, (shape, alpha, gamma) in {
        "clipped_focal.default": ((2, 1, 4, 5), 0.25, 2.0),
        "clipped_focal.alpha60.gamma1": ((3, 6), 0.6, 1.0),
    }.items():
        p = torch.rand(shape)
        flat = p.view(-1)
        flat[:6] = torch.tensor([0.0, 1.0, 1e-6, 1 - 1e-6, 0.5, 1e-5])
        record_loss(case, lambda q, t: seed_tf_focal_loss(q, t, alpha, gamma), [p, binary(*shape, p=0.5)], ["p", "t"])
        put(f"{case}.alpha", torch.tensor(alpha))
        put(f"{case}.gamma", torch.tensor(gamma))
    x, t = torch.randn(3, 5) * 3, binary(3, 5, p=0.5)
    put("seed_focal_bug.x", x)
    put("seed_focal_bug.t", t)
    put("seed_focal_bug.y", seed_focal_loss_with_multiply_bug(x, t, 0.25, 2.0))


def bce_with_logits_cases():
    for case, (x, t, pos_weight) in {
        "bce_logits.plain": (logits_with_extremes(2, 1, 3, 5), binary(2, 1, 3, 5), None),
        "bce_logits.pos_weight": (logits_with_extremes(4, 6), binary(4, 6, p=0.2), 7.5),
        "bce_logits.soft": (torch.randn(3, 3) * 2, torch.rand(3, 3), None),
    }.items():
        pw = None if pos_weight is None else torch.tensor([pos_weight])
        record_loss(case, lambda l, t: F.binary_cross_entropy_with_logits(l, t, pos_weight=pw), [x, t], ["x", "t"])
        put(f"{case}.pos_weight", torch.tensor(-1.0 if pos_weight is None else pos_weight))


def cross_entropy_cases():
    x = torch.randn(2, 4, 3, 5) * 2
    x.view(-1)[:4] = torch.tensor([100.0, -100.0, 50.0, -60.0])
    record_loss("cross_entropy.indices", lambda l, t: F.cross_entropy(l, t.long()),
                [x, torch.randint(0, 4, (2, 3, 5)).float()], ["x", "t"])
    record_loss("cross_entropy.2d", lambda l, t: F.cross_entropy(l, t.long()),
                [torch.randn(5, 3), torch.randint(0, 3, (5,)).float()], ["x", "t"])
    onehot = F.one_hot(torch.randint(0, 3, (2, 4, 4)), 3).permute(0, 3, 1, 2).float()
    record_loss("cross_entropy.onehot", F.cross_entropy, [torch.randn(2, 3, 4, 4) * 2, onehot], ["x", "t"])
    soft = torch.softmax(torch.randn(3, 5, 2), dim=1)
    record_loss("cross_entropy.soft", F.cross_entropy, [torch.randn(3, 5, 2), soft], ["x", "t"])


def softmax_cases():
    for case, (shape, dim, fn) in {
        "softmax.nchw": ((2, 4, 3, 5), 1, torch.softmax),
        "softmax.last": ((3, 6), -1, torch.softmax),
        "log_softmax.nchw": ((2, 3, 4, 3), 1, F.log_softmax),
        "log_softmax.extremes": ((2, 5), 1, F.log_softmax),
    }.items():
        x = torch.randn(shape) * 2
        if case.endswith("extremes"):
            x.view(-1)[:4] = torch.tensor([100.0, -100.0, 80.0, 0.0])
        leaf = x.clone().requires_grad_(True)
        y = fn(leaf, dim)
        gy = torch.randn(y.shape)
        y.backward(gy)
        for n, t in [("x", x), ("y", y), ("gy", gy), ("gx", leaf.grad)]:
            put(f"{case}.{n}", t)
        put(f"{case}.dim", torch.tensor(float(dim)))


def soft_overlap(p, t, kind, smooth, eps, per_plane):
    """1 − soft Dice / IoU: segmentation_models_pytorch's soft_dice_score / soft_jaccard_score
    (sums over all of the batch, clamp_min(eps) on the denominator) or, per_plane, one ratio per
    (sample, channel) plane averaged as MONAI's DiceLoss (batch=False)."""
    dims = tuple(range(2, p.dim())) if per_plane else None
    inter = torch.sum(p * t, dim=dims) if dims else torch.sum(p * t)
    card = torch.sum(p + t, dim=dims) if dims else torch.sum(p + t)
    if kind == "dice":
        score = (2.0 * inter + smooth) / (card + smooth).clamp_min(eps)
    else:
        score = (inter + smooth) / (card - inter + smooth).clamp_min(eps)
    return torch.mean(1.0 - score)


def soft_overlap_cases():
    for kind in ["dice", "iou"]:
        for case, (p, t, smooth, eps, per_plane) in {
            "batch": (torch.rand(2, 1, 4, 5), binary(2, 1, 4, 5), 0.0, 1e-7, False),
            "batch.smooth1": (torch.rand(3, 2, 3, 3), binary(3, 2, 3, 3), 1.0, 1e-7, False),
            "planes": (torch.rand(2, 3, 3, 4), binary(2, 3, 3, 4), 1e-5, 0.0, True),
            "planes.empty": (torch.rand(2, 1, 3, 3), torch.cat([torch.zeros(1, 1, 3, 3), binary(1, 1, 3, 3, p=0.5)]),
                             0.0, 1e-7, True),
            "clamped": (torch.full((2, 1, 2, 2), 1e-9), torch.zeros(2, 1, 2, 2), 0.0, 1e-7, False),
        }.items():
            name = f"soft_{kind}.{case}"
            record_loss(name, lambda q, y: soft_overlap(q, y, kind, smooth, eps, per_plane), [p, t], ["p", "t"])
            put(f"{name}.smooth", torch.tensor(smooth, dtype=torch.float64), torch.float64)
            put(f"{name}.eps", torch.tensor(eps, dtype=torch.float64), torch.float64)
            put(f"{name}.per_plane", torch.tensor(1.0 if per_plane else 0.0))


def adam_cases():
    """Adam / AdamW on three parameter tensors with given gradients; parameter 2 has no gradient
    at step 1 (skipped, its step count starts later). Parameters stored after every step."""
    steps = 6
    for case, (cls, kwargs) in {
        "adam.default": (torch.optim.Adam, dict(lr=1e-3)),
        "adam.l2": (torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
        "adamw.default": (torch.optim.AdamW, dict(lr=1e-2)),
        "adamw.wd": (torch.optim.AdamW, dict(lr=0.05, betas=(0.9, 0.95), weight_decay=0.3)),
        # Gradients of order 1e-6, as large as eps: where ε sits (after the bias correction) shows.
        "adam.small_grads": (torch.optim.Adam, dict(lr=0.1, eps=1e-6)),
    }.items():
        params = [torch.randn(3, 4).requires_grad_(True), torch.randn(5).requires_grad_(True),
                  torch.randn(2, 1, 3, 3).requires_grad_(True)]
        for k, p in enumerate(params):
            put(f"{case}.p{k}.step0", p)
        opt = cls(params, **kwargs)
        for step in range(1, steps + 1):
            for k, p in enumerate(params):
                if k == 2 and step == 1:
                    p.grad = None
                    continue
                g = torch.randn(p.shape) * (10.0 if step == 3 else 1.0) * (1e-6 if case == "adam.small_grads" else 1.0)
                p.grad = g
                put(f"{case}.g{k}.step{step}", g)
            opt.step()
            for k, p in enumerate(params):
                put(f"{case}.p{k}.step{step}", p)
        group = opt.param_groups[0]
        metadata[f"{case}.settings"] = repr((group["lr"], group["betas"], group["eps"], group["weight_decay"]))


def schedule_cases():
    """Learning rates per epoch (epoch 0 = after construction), and Adam under StepLR."""
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.9)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(12):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    metadata["steplr.settings"] = "lr=0.1 step_size=3 gamma=0.9"
    metadata["steplr.lrs"] = ",".join(repr(v) for v in lrs)

    opt = torch.optim.SGD([p], lr=0.05)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=5, eta_min=0.001)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(17):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    metadata["cosine.settings"] = "lr=0.05 T_max=5 eta_min=0.001"
    metadata["cosine.lrs"] = ",".join(repr(v) for v in lrs)

    # Adam with StepLR(step_size=2, gamma=0.5) stepped after every "epoch" of one step.
    w = torch.randn(4, 3).requires_grad_(True)
    put("adam_steplr.p.step0", w)
    opt = torch.optim.Adam([w], lr=0.02)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    for step in range(1, 7):
        g = torch.randn(w.shape)
        w.grad = g
        put(f"adam_steplr.g.step{step}", g)
        opt.step()
        sched.step()
        put(f"adam_steplr.p.step{step}", w)


def scores_with_ties(shape, levels=20):
    """Float32 scores on a grid of levels+1 values (many ties), labels correlated with them."""
    s = torch.randint(0, levels + 1, shape).float() / levels
    y = (torch.rand(shape) < 0.15 + 0.6 * s).float()
    return s, y


def curve_metrics(prefix, s, y):
    s_np, y_np = s.numpy().ravel().astype(np.float32), y.numpy().ravel().astype(np.int64)
    for drop in [True, False]:
        fpr, tpr, thr = skm.roc_curve(y_np, s_np, drop_intermediate=drop)
        tag = "drop" if drop else "all"
        put(f"{prefix}.roc.{tag}.fpr", fpr)
        put(f"{prefix}.roc.{tag}.tpr", tpr)
        put(f"{prefix}.roc.{tag}.thresholds", thr)
        precision, recall, thr = skm.precision_recall_curve(y_np, s_np, drop_intermediate=drop)
        put(f"{prefix}.pr.{tag}.precision", precision)
        put(f"{prefix}.pr.{tag}.recall", recall)
        put(f"{prefix}.pr.{tag}.thresholds", thr)
    put(f"{prefix}.auc", torch.tensor(skm.roc_auc_score(y_np, s_np), dtype=torch.float64), torch.float64)
    put(f"{prefix}.ap", torch.tensor(skm.average_precision_score(y_np, s_np), dtype=torch.float64), torch.float64)


def threshold_metrics(prefix, s, y, threshold=0.5):
    s_np, y_np = s.numpy().ravel(), y.numpy().ravel().astype(np.int64)
    pred = (s_np >= threshold).astype(np.int64)
    tn, fp, fn, tp = skm.confusion_matrix(y_np, pred, labels=[0, 1]).ravel()
    put(f"{prefix}.confusion", torch.tensor([tp, fp, tn, fn], dtype=torch.float32))
    values = [
        skm.accuracy_score(y_np, pred),
        skm.recall_score(y_np, pred, zero_division=np.nan),
        skm.recall_score(y_np, pred, pos_label=0, zero_division=np.nan),
        skm.precision_score(y_np, pred, zero_division=np.nan),
        skm.f1_score(y_np, pred, zero_division=1.0),
        skm.jaccard_score(y_np, pred, zero_division=1.0),
    ]
    both = y_np.min() == 0 and y_np.max() == 1
    values.append(skm.balanced_accuracy_score(y_np, pred) if both else np.nan)
    # accuracy, sensitivity, specificity, precision, f1, iou, balanced accuracy
    put(f"{prefix}.scores", torch.tensor(values, dtype=torch.float64), torch.float64)


def metric_cases():
    s, y = scores_with_ties((2, 1, 24, 24))
    put("metrics.s", s)
    put("metrics.y", y)
    curve_metrics("metrics.all", s, y)
    threshold_metrics("metrics.all", s, y)
    # A circular field of view: only the pixels inside count.
    yy, xx = torch.meshgrid(torch.arange(24.0), torch.arange(24.0), indexing="ij")
    fov = (((yy - 11.5) ** 2 + (xx - 11.5) ** 2) <= 10.5 ** 2).float().expand(2, 1, 24, 24).contiguous()
    put("metrics.fov", fov)
    inside = fov.bool()
    curve_metrics("metrics.fov", s[inside], y[inside])
    threshold_metrics("metrics.fov", s[inside], y[inside])
    # Threshold 0.3 over all pixels.
    threshold_metrics("metrics.t03", s, y, threshold=0.3)
    # Images for per-image vs pooled Dice/IoU: image 0 empty label and empty prediction,
    # image 1 all-positive label, images 2-3 random.
    s4, y4 = scores_with_ties((4, 1, 6, 7))
    s4[0] = 0.2
    y4[0] = 0
    y4[1] = 1
    put("overlap.s", s4)
    put("overlap.y", y4)
    per_image = []
    for k in range(4):
        a, b = y4[k].numpy().ravel().astype(np.int64), (s4[k].numpy().ravel() >= 0.5).astype(np.int64)
        per_image.append([skm.f1_score(a, b, zero_division=1.0), skm.jaccard_score(a, b, zero_division=1.0)])
    a, b = y4.numpy().ravel().astype(np.int64), (s4.numpy().ravel() >= 0.5).astype(np.int64)
    put("overlap.per_image", torch.tensor(per_image, dtype=torch.float64), torch.float64)
    put("overlap.pooled", torch.tensor([skm.f1_score(a, b), skm.jaccard_score(a, b)], dtype=torch.float64),
        torch.float64)
    # All-positive labels: precision-recall is defined (precision 1), ROC is not.
    s_pos = torch.randint(0, 5, (30,)).float() / 4
    put("metrics.allpos.s", s_pos)
    precision, recall, thr = skm.precision_recall_curve(np.ones(30, dtype=np.int64), s_pos.numpy())
    put("metrics.allpos.pr.precision", precision)
    put("metrics.allpos.pr.recall", recall)
    put("metrics.allpos.pr.thresholds", thr)
    put("metrics.allpos.ap", torch.tensor(skm.average_precision_score(np.ones(30, dtype=np.int64), s_pos.numpy()),
                                          dtype=torch.float64), torch.float64)


def small_model_case():
    """A small network trained three steps with 0.5·BCE-with-logits + soft Dice + focal loss,
    Adam and StepLR: the loss and every parameter after each step."""
    focal = torchvision_sigmoid_focal_loss()
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 3, 3, padding=1), torch.nn.ReLU(), torch.nn.Conv2d(3, 1, 1))
    for name, p in net.state_dict().items():
        put(f"model.init.{name}", p)
    x, y = torch.randn(2, 1, 6, 5), binary(2, 1, 6, 5, p=0.4)
    put("model.x", x)
    put("model.y", y)
    opt = torch.optim.Adam(net.parameters(), lr=0.05)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    for step in range(1, 4):
        opt.zero_grad()
        logits = net(x)
        loss = (0.5 * F.binary_cross_entropy_with_logits(logits, y)
                + soft_overlap(torch.sigmoid(logits), y, "dice", 0.0, 1e-7, False)
                + focal(logits, y, alpha=0.25, gamma=2.0, reduction="mean"))
        loss.backward()
        opt.step()
        sched.step()
        put(f"model.step{step}.loss", loss)
        for name, p in net.state_dict().items():
            put(f"model.step{step}.{name}", p)


def main():
    if not torch.__version__.startswith(EXPECTED_TORCH):
        print(f"warning: fixtures were made with torch {EXPECTED_TORCH}, this is {torch.__version__}", file=sys.stderr)
    warnings.simplefilter("ignore")  # scikit-learn's zero-division warnings are expected here
    torch.set_num_threads(1)
    torch.manual_seed(0)
    focal_cases()
    clipped_focal_cases()
    bce_with_logits_cases()
    cross_entropy_cases()
    softmax_cases()
    soft_overlap_cases()
    adam_cases()
    schedule_cases()
    metric_cases()
    small_model_case()
    out = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else OUT)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    import sklearn
    metadata.update({"torch": torch.__version__, "sklearn": sklearn.__version__,
                     "script": "Fixtures/make_training_fixtures.py"})
    write_safetensors(out, tensors, metadata)
    print(f"wrote {len(tensors)} tensors to {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main()
