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
from safetensors_io import FixtureTensors, write_safetensors  # noqa: E402

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


def main():
    if not torch.__version__.startswith(EXPECTED_TORCH):
        print(f"warning: fixtures were made with torch {EXPECTED_TORCH}, this is {torch.__version__}", file=sys.stderr)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    jaccard_cases()
    deconv_cases()
    up_add_case()
    shallow_case()
    out = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else OUT)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    write_safetensors(out, tensors, {"torch": torch.__version__, "script": "Fixtures/make_exercise_fixtures.py"})
    print(f"wrote {len(tensors)} tensors to {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main()
