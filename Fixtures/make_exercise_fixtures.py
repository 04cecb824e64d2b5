#!/usr/bin/env python3
"""Makes the graders' PyTorch fixtures: Sources/Grading/Fixtures/exercises.safetensors (small).

    pip install torch==2.13.0+cpu
    python3 Fixtures/make_exercise_fixtures.py [OUT.safetensors]

The exercises' reference answers, computed by PyTorch as the course writes them:

    jaccard.seed{i}.{a,b,value}     i = 0..3: (eye3, eye3), (eye3, ones3), (zeros3, ones3),
                                    (zeros3, zeros3) — the seed's four examples (value shape [1])
    jaccard.random{i}.{a,b,value}   i = 0..3: random 0/1 masks and soft probabilities against
                                    0/1 masks, shapes [2,2,8,8], [1,1,5,7], [3,4], [2,2,16,16]
        value = (a·b + eps) / (Σa + Σb − a·b + eps), eps = 1e-4, in float32 like the course's
        `JaccardCoeff` (torch.dot of the flattened tensors)
    deconv.seed.{input,weights,output}
    deconv.random{i}.{input,weights,output}   i = 0..3, (in, out, h, w) = (3,2,4,5), (1,1,2,2),
                                    (2,3,3,1), (5,4,6,6)
        input [in, h, w], weights [out, in, 3, 3] (the appendix's conv2d layout);
        output = F.conv_transpose2d(input, weights rotated 180° with in/out swapped, stride 2,
        padding 1) = [out, 2h − 1, 2w − 1]: what fill_zeros → conv2d → crop gives
    up_add.state.<key>              state_dict of the course's up_add(4, 3) (course_unet.py):
                                    default init, then BatchNorm weight/bias/running stats drawn
                                    at random so they matter
    up_add.x1 [2, 4, 3, 4], up_add.x2 [2, 4, 7, 9]   (odd sizes: the padding matters)
    up_add.y_train, up_add.y_eval   forward in training mode (batch statistics), then in
                                    evaluation mode (running statistics; the train-mode call
                                    updated them, so the state is reloaded first)

    shallow.full.x [1, 1, 64, 64], shallow.full.logits_eval
                                    the course's UNet_shallow (base 64) with the formula weights
                                    of course_unet.py, evaluation mode

The advanced lab's five exercises:

    focal.case{i}.{x,t,params,y,gx}  i = 0..4: torchvision's sigmoid_focal_loss(x, t, alpha,
                                    gamma, "mean"), params = [alpha, gamma] (F64); shapes and
                                    (alpha, gamma) (2,1,5,7) (0.25, 2), (3,8) (-1, 0) (plain BCE),
                                    (1,2,4,3) (0.75, 1), (2,1,6,5) (0.5, 3.5) soft targets,
                                    (1,1,3,9) (0, 0.5); gx = d loss / d x
    focal.saturated.{x,t,params,y,gx}  logits of +-100 beside moderate ones, (0.25, 2)
    dropblock.case{i}.{x,seeds,params,gamma,y,gy,gx}  i = 0..3: torchvision's drop_block2d(x, p,
                                    bs) with its Bernoulli seeds recovered by replaying the
                                    generator (as make_layer_fixtures.py does), params = [p, bs];
                                    shapes (2,3,11,9) bs 3, (1,2,13,8) bs 5, (2,2,10,15) bs 7,
                                    (1,3,6,5) bs 1
    dropblock.gammas                [k, 5] rows (p, bs, H, W, gamma) by drop_block2d's formula (F64)
    attention.k{7,3}.{x,weight,y,gy,gx,gweight}  SA-UNet's spatial attention
                                    x * sigmoid(conv_k([mean_c x, max_c x])), padding k/2, no bias;
                                    x [2,3,9,13] (k 7) and [1,4,6,5] (k 3)
    window.case{i}.{in,out,params}  i = 0..5: sliding-window prediction (MONAI's rule, see
                                    make_data_fixtures.py: zero padding to the patch size, window
                                    starts every int(patch (1 - overlap)), the last moved to the
                                    border, constant weights) of the patch model
                                    [x0 - mean_patch(x0), x1 * mean_patch(x0), x0 + x1];
                                    params = [patch, overlap] (F64); odd, non-square sizes, images
                                    smaller than the patch
    roc.case{i}.{scores,labels,value}  i = 0..4: scikit-learn's roc_auc_score, most with tied
                                    scores (labels 0/1 as F32, value F64)

The file ships with the graders (a SwiftPM resource of the Grading target). torch.manual_seed(0) once, one thread, names sorted: re-running
reproduces the file byte for byte (`make check-pytorch` checks it).
"""
import os
import sys

import reproducible_torch  # noqa: F401  (before torch: the same bytes on every CPU)
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from course_unet import build, load_formula_weights, up_add  # noqa: E402
from safetensors_io import FixtureTensors, rand, write_safetensors  # noqa: E402
from make_data_fixtures import window_starts  # noqa: E402
from make_layer_fixtures import replay_drop_block2d, torchvision_drop_block2d  # noqa: E402
from make_training_fixtures import torchvision_sigmoid_focal_loss  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

EXPECTED_TORCH = "2.13.0"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "Grading", "Fixtures",
                   "exercises.safetensors")

tensors = FixtureTensors()


put = tensors.put


def jaccard(a, b, eps=1e-4):
    """The course's JaccardCoeff (as its DiceCoeff: torch.dot over the flattened tensors)."""
    inter = torch.dot(a.reshape(-1), b.reshape(-1))
    union = torch.sum(a) + torch.sum(b) - inter
    return ((inter.float() + eps) / (union.float() + eps)).reshape([1])


def jaccard_cases():
    eye, ones, zeros = torch.eye(3), torch.ones(3, 3), torch.zeros(3, 3)
    for i, (a, b) in enumerate([(eye, eye), (eye, ones), (zeros, ones), (zeros, zeros)]):
        put(f"jaccard.seed{i}.a", a)
        put(f"jaccard.seed{i}.b", b)
        put(f"jaccard.seed{i}.value", jaccard(a, b))
    shapes = [(2, 2, 8, 8), (1, 1, 5, 7), (3, 4), (2, 2, 16, 16)]
    for i, shape in enumerate(shapes):
        soft = i % 2 == 1
        a = torch.rand(shape) if soft else (torch.rand(shape) > 0.5).float()
        b = (torch.rand(shape) > 0.4).float()
        put(f"jaccard.random{i}.a", a)
        put(f"jaccard.random{i}.b", b)
        put(f"jaccard.random{i}.value", jaccard(a, b))


def deconv(inp, weights):
    """ConvTranspose2d(in, out, 3, stride=2, padding=1) with the conv2d weights [out, in, 3, 3]
    rotated 180° and in/out swapped (ConvTranspose2d's layout is [in, out, kh, kw])."""
    torch_w = weights.flip(2, 3).transpose(0, 1).contiguous()
    return F.conv_transpose2d(inp.unsqueeze(0), torch_w, stride=2, padding=1)[0]


def deconv_cases():
    de_in = torch.tensor([1, 0, 1, 0, 2, 1, 1, 1, 0, 2, 0, 2, 0, 1, 0, 1, 0, 0,
                          1, 1, 1, 2, 2, 0, 1, 1, 1, 1, 1, 2, 1, 0, 1, 0, 2, 2], dtype=torch.float32).reshape(4, 3, 3)
    de_w = torch.tensor([1, 0, 1, -1, 1, 0, 0, -1, 0, -1, 0, 1, 0, 0, 1, 1, 1, 1,
                         0, 1, 1, 2, 0, 1, 1, 2, 1, 1, 1, 1, 0, 2, 1, 1, 0, 1,
                         1, 0, 2, -2, 1, 1, 1, -1, 0, -1, 0, 1, -1, 2, 1, 1, 1, 1,
                         0, 0, 0, 2, 2, 1, 1, -1, 1, 2, 1, 1, 0, -1, 1, 1, 1, 1],
                        dtype=torch.float32).reshape(2, 4, 3, 3)
    put("deconv.seed.input", de_in)
    put("deconv.seed.weights", de_w)
    put("deconv.seed.output", deconv(de_in, de_w))
    for i, (cin, cout, h, w) in enumerate([(3, 2, 4, 5), (1, 1, 2, 2), (2, 3, 3, 1), (5, 4, 6, 6)]):
        inp = torch.randn(cin, h, w)
        weights = torch.randn(cout, cin, 3, 3)
        put(f"deconv.random{i}.input", inp)
        put(f"deconv.random{i}.weights", weights)
        put(f"deconv.random{i}.output", deconv(inp, weights))


def up_add_case():
    block = up_add(4, 3)
    with torch.no_grad():
        for m in block.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.copy_(1 + 0.2 * torch.randn(m.num_features))
                m.bias.copy_(0.1 * torch.randn(m.num_features))
                m.running_mean.copy_(0.1 * torch.randn(m.num_features))
                m.running_var.copy_(1 + 0.3 * torch.rand(m.num_features))
    state = {k: v.clone() for k, v in block.state_dict().items()}
    for key, v in state.items():
        put(f"up_add.state.{key}", v)
    x1 = torch.randn(2, 4, 3, 4)
    x2 = torch.randn(2, 4, 7, 9)
    put("up_add.x1", x1)
    put("up_add.x2", x2)
    block.train()
    with torch.no_grad():
        put("up_add.y_train", block(x1, x2))
    block.load_state_dict(state)
    block.eval()
    with torch.no_grad():
        put("up_add.y_eval", block(x1, x2))


def shallow_case():
    x = torch.randn(1, 1, 64, 64)
    put("shallow.full.x", x)
    with torch.random.fork_rng(devices=[]):
        model = build("shallow", base=64)
    load_formula_weights(model)
    model.eval()
    with torch.no_grad():
        put("shallow.full.logits_eval", model(x))


# ---------------------------------------------------------------- the advanced lab's exercises

def focal_case(case, x, t, alpha, gamma):
    focal = torchvision_sigmoid_focal_loss()
    leaf = x.clone().requires_grad_(True)
    y = focal(leaf, t, alpha=alpha, gamma=gamma, reduction="mean")
    y.backward()
    assert torch.isfinite(y) and torch.isfinite(leaf.grad).all(), case
    put(f"{case}.x", x)
    put(f"{case}.t", t)
    put(f"{case}.params", torch.tensor([alpha, gamma], dtype=torch.float64), dtype=torch.float64)
    put(f"{case}.y", y)
    put(f"{case}.gx", leaf.grad)


def focal_cases():
    for i, (shape, alpha, gamma, soft, scale) in enumerate([((2, 1, 5, 7), 0.25, 2.0, False, 3.0),
                                                            ((3, 8), -1.0, 0.0, False, 2.0),
                                                            ((1, 2, 4, 3), 0.75, 1.0, False, 3.0),
                                                            ((2, 1, 6, 5), 0.5, 3.5, True, 2.0),
                                                            ((1, 1, 3, 9), 0.0, 0.5, False, 1.5)]):
        x = rand(*shape) * scale
        t = torch.rand(shape) if soft else (torch.rand(shape) < 0.3).float()
        focal_case(f"focal.case{i}", x, t, alpha, gamma)
    x = torch.tensor([[100, -100, 100, -100, 3, -2, 0, 50, -60, 0.5]], dtype=torch.float32)
    t = torch.tensor([[1, 0, 0, 1, 1, 0, 1, 0, 0, 1]], dtype=torch.float32)
    focal_case("focal.saturated", x, t, 0.25, 2.0)


def drop_block_exercise_cases():
    drop_block2d = torchvision_drop_block2d()
    for i, (shape, p, bs, seed) in enumerate([((2, 3, 11, 9), 0.3, 3, 21), ((1, 2, 13, 8), 0.35, 5, 24),
                                              ((2, 2, 10, 15), 0.4, 7, 26), ((1, 3, 6, 5), 0.5, 1, 27)]):
        case = f"dropblock.case{i}"
        x, gy = rand(*shape), rand(*shape)
        y, gx, seeds, keep, gamma = replay_drop_block2d(drop_block2d, x, gy, p, bs, seed, case)
        assert seeds.sum() > 1 and keep.sum() > 0, f"{case}: pick another seed"
        put(f"{case}.x", x)
        put(f"{case}.seeds", seeds)
        put(f"{case}.params", torch.tensor([p, bs], dtype=torch.float64), dtype=torch.float64)
        put(f"{case}.gamma", torch.tensor(gamma, dtype=torch.float64), dtype=torch.float64)
        put(f"{case}.y", y)
        put(f"{case}.gy", gy)
        put(f"{case}.gx", gx)
    rows = []
    for p, bs, h, w in [(0.1, 3, 10, 10), (0.3, 7, 48, 64), (0.15, 5, 9, 23), (0.5, 1, 4, 7), (0.2, 9, 9, 12)]:
        rows.append([p, bs, h, w, (p * h * w) / ((bs ** 2) * ((h - bs + 1) * (w - bs + 1)))])
    put("dropblock.gammas", torch.tensor(rows, dtype=torch.float64), dtype=torch.float64)


def spatial_attention(x, weight):
    """SA-UNet's spatial attention with conv weight [1, 2, k, k]: mean first, then max."""
    pooled = torch.cat([x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)], dim=1)
    return x * torch.sigmoid(F.conv2d(pooled, weight, padding=weight.shape[-1] // 2))


def attention_cases():
    for k, shape in [(7, (2, 3, 9, 13)), (3, (1, 4, 6, 5))]:
        tensors.record(f"attention.k{k}", spatial_attention, [rand(*shape), 0.3 * rand(1, 2, k, k)], ["x", "weight"])


def window_model(x):
    """The patch model the sliding-window fixtures use: [n, 2, p, p] -> [n, 3, p, p]; it depends
    on the whole patch (its mean), so where the windows lie matters, but not where the zero
    padding of a small image lies."""
    m = x[:, 0:1].mean(dim=(2, 3), keepdim=True)
    return torch.cat([x[:, 0:1] - m, x[:, 1:2] * m, x[:, 0:1] + x[:, 1:2]], dim=1)


def sliding_window(images, patch, overlap):
    """images [B, C, H, W] (float64) -> [B, 3, H, W] by MONAI's rule with constant weights."""
    _, _, h, w = images.shape
    ph, pw = max(patch - h, 0), max(patch - w, 0)
    padded = F.pad(images, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))
    H, W = padded.shape[2:]
    total = torch.zeros(images.shape[0], 3, H, W, dtype=torch.float64)
    count = torch.zeros(1, 1, H, W, dtype=torch.float64)
    for y in window_starts(H, patch, overlap):
        for x in window_starts(W, patch, overlap):
            total[:, :, y:y + patch, x:x + patch] += window_model(padded[:, :, y:y + patch, x:x + patch])
            count[:, :, y:y + patch, x:x + patch] += 1
    return (total / count)[:, :, ph // 2:ph // 2 + h, pw // 2:pw // 2 + w]


def window_exercise_cases():
    for i, (b, h, w, patch, overlap) in enumerate([(1, 23, 17, 8, 0.25), (2, 19, 30, 7, 0.5), (1, 5, 9, 8, 0.25),
                                                   (1, 6, 5, 8, 0.5), (1, 21, 21, 6, 0.0), (1, 15, 26, 9, 0.875)]):
        images = torch.rand(b, 2, h, w).to(torch.float64)
        put(f"window.case{i}.in", images)
        put(f"window.case{i}.out", sliding_window(images, patch, overlap))
        put(f"window.case{i}.params", torch.tensor([patch, overlap], dtype=torch.float64), dtype=torch.float64)


def roc_cases():
    gen = torch.Generator().manual_seed(3)
    cases = [
        (torch.round(torch.rand(40, generator=gen) * 10) / 10, torch.rand(40, generator=gen) < 0.4),
        (torch.full((12,), 0.5), torch.arange(12) % 3 == 0),
        (torch.round(torch.rand(200, generator=gen) * 4) / 4, torch.rand(200, generator=gen) < 0.12),
        (torch.rand(30, generator=gen), torch.rand(30, generator=gen) < 0.5),
        (torch.tensor([0.1, 0.4, 0.35, 0.8, 0.4, 0.35, 0.9, 0.1]), torch.tensor([0, 0, 1, 1, 1, 0, 1, 1]) == 1),
    ]
    for i, (scores, labels) in enumerate(cases):
        scores = scores.to(torch.float32)
        value = roc_auc_score(labels.numpy().astype(int), scores.to(torch.float64).numpy())
        put(f"roc.case{i}.scores", scores)
        put(f"roc.case{i}.labels", labels.to(torch.float32))
        put(f"roc.case{i}.value", torch.tensor(value, dtype=torch.float64), dtype=torch.float64)


def main():
    if not torch.__version__.startswith(EXPECTED_TORCH):
        print(f"warning: fixtures were made with torch {EXPECTED_TORCH}, this is {torch.__version__}", file=sys.stderr)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    jaccard_cases()
    deconv_cases()
    up_add_case()
    shallow_case()
    focal_cases()
    drop_block_exercise_cases()
    attention_cases()
    window_exercise_cases()
    roc_cases()
    out = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else OUT)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    write_safetensors(out, tensors, {"torch": torch.__version__, "script": "Fixtures/make_exercise_fixtures.py"})
    print(f"wrote {len(tensors)} tensors to {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main()
