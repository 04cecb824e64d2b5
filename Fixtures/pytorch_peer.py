#!/usr/bin/env python3
"""The PyTorch peer of the Swift lab: the course's training loop, and a step benchmark.

    python3 Fixtures/pytorch_peer.py train --model unet|shallow|add --epochs 5 --steps 50 \\
            --batch 4 --size 128 --seed 1 [--threads 2]
    python3 Fixtures/pytorch_peer.py bench --model unet --batch 4 --size 128 --steps 5 [--threads 2]
    python3 Fixtures/pytorch_peer.py bench --network sa-unet --width 16 [--in-channels 1 --classes 1]

train — the course's loop (seed 004), on CPU:
  * data: the course's generator (GrayScaleDataProvider(size, size, cnt=10, sigma=20)) as
    re-implemented with NumPy in Fixtures/generator_reference.py, drawing from
    numpy.random.default_rng(seed); images B x H x W x 1 and one-hot labels B x H x W x 2 are
    transposed to B x C x H x W (NCHW) as float32;
  * the network: Fixtures/course_unet.py, PyTorch's default initialisation after
    torch.manual_seed(seed);
  * per step: probs = sigmoid(net(x)); loss = BCELoss()(probs.reshape(-1), y.reshape(-1));
    zero_grad, backward, SGD(lr 0.001, momentum 0.9, weight_decay 0.0005).step();
    every 10 steps the course's log line "epoch E iteration S loss is L";
  * after each epoch "validation dice coeff: D": eval_net on 2 fresh images — model.eval(),
    sigmoid, threshold 0.5, Dice = (2*sum(a*b) + 1e-4) / (sum(a) + sum(b) + 1e-4) over the
    foreground channel (channel 1) of each image, averaged over the images, then
    model.train() again. (The course's eval_net also counts the background channel and leaves
    the network in eval mode; this peer does what the Swift lab does.)
  * finally one JSON line: {"model", "wall_s", "step_s_median", "final_dice", "final_loss", ...}.
    wall_s is the whole run (data, training, validation); step_s_median is the median time of
    forward + loss + backward + SGD step, without drawing the data.

bench — after 2 warm-up training steps on one fixed batch, the median time of `--steps`
training steps (forward, BCE, backward, SGD step) and of `--steps` forward passes (eval mode,
torch.no_grad(), after 1 warm-up), and the peak resident memory of the process
(resource.getrusage ru_maxrss); printed, then one JSON line
{"train_step_s", "forward_s", "peak_rss_mb", ...}.

bench --network NAME — the same for one of the seeds' vessel networks (Fixtures/seed_networks.py,
the names of `unetlab train --data vessels --model`) on a random batch with random 0/1 labels
of the network's output shape (timing does not depend on the values): BCE after a sigmoid, or
directly on the output of a network that ends in a sigmoid (the Keras U-Net), as `unetlab bench
--network NAME` does.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from course_unet import MODELS, build, parameter_count  # noqa: E402
from generator_reference import create_image_and_label  # noqa: E402
from seed_networks import VESSEL_NETWORKS  # noqa: E402

CNT, SIGMA = 10, 20.0
LR, MOMENTUM, WEIGHT_DECAY = 0.001, 0.9, 0.0005
EPS = 1e-4


class Generator:
    """The course's `generator(n)`: n images (n x H x W x 1) and one-hot labels (n x H x W x 2)."""

    def __init__(self, size, seed, cnt=CNT, sigma=SIGMA):
        self.rng = np.random.default_rng(seed)
        self.size, self.cnt, self.sigma = size, cnt, sigma

    def __call__(self, n):
        images = np.empty((n, self.size, self.size, 1))
        labels = np.zeros((n, self.size, self.size, 2))
        for i in range(n):
            image, label = create_image_and_label(self.rng, self.size, self.size, self.cnt, self.sigma, False)
            images[i, ..., 0] = image
            labels[i, ..., 1] = label == 1
            labels[i, ..., 0] = label != 1
        return images, labels


def to_nchw(batch):
    """B x H x W x C NumPy -> B x C x H x W float32 tensor, as the course does."""
    return torch.from_numpy(np.transpose(batch, axes=[0, 3, 1, 2]).astype(np.float32))


def dice_coeff(a, b):
    """(2 sum(ab) + eps) / (sum(a) + sum(b) + eps), eps = 1e-4."""
    return (2 * (a * b).sum() + EPS) / (a.sum() + b.sum() + EPS)


def eval_net(model, generator, num_validation=2):
    """Mean foreground Dice of thresholded predictions on fresh images; leaves the model training."""
    model.eval()
    total = 0.0
    with torch.no_grad():
        for _ in range(num_validation):
            image, label = generator(1)
            pred = (torch.sigmoid(model(to_nchw(image))) > 0.5).float()
            total += dice_coeff(pred[0, 1], to_nchw(label)[0, 1]).item()
    model.train()
    return total / num_validation


def train_step(model, criterion, optimizer, x, y):
    """One course step; returns the loss (before the update) as a Python float."""
    masks_pred = model(x)
    masks_probs = torch.sigmoid(masks_pred)
    loss = criterion(masks_probs.reshape(-1), y.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def setup(args):
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = build(args.model)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)
    return model, nn.BCELoss(), optimizer


def train(args):
    start = time.perf_counter()
    model, criterion, optimizer = setup(args)
    generator = Generator(args.size, args.seed)
    print(f"{args.model}: {parameter_count(model):,} parameters, {args.epochs} epochs x {args.steps} steps x "
          f"batch {args.batch}, {args.size}x{args.size}, seed {args.seed}, {torch.get_num_threads()} threads",
          flush=True)
    step_times, losses, dice = [], [], float("nan")
    for epoch in range(args.epochs):
        for step in range(args.steps):
            batch_x, batch_y = generator(args.batch)
            x, y = to_nchw(batch_x), to_nchw(batch_y)
            t0 = time.perf_counter()
            loss = train_step(model, criterion, optimizer, x, y)
            step_times.append(time.perf_counter() - t0)
            losses.append(loss)
            if (step + 1) % 10 == 0:
                print("epoch {0:} iteration {1:} loss is {2:0.4f}".format(epoch + 1, step + 1, loss), flush=True)
        dice = eval_net(model, generator, num_validation=2)
        print("validation dice coeff: {}".format(dice), flush=True)
    result = {"model": args.model, "wall_s": round(time.perf_counter() - start, 3),
              "step_s_median": round(statistics.median(step_times), 4) if step_times else None,
              "final_dice": dice, "final_loss": losses[-1] if losses else None,
              "epochs": args.epochs, "steps": args.steps, "batch": args.batch, "size": args.size,
              "seed": args.seed, "threads": torch.get_num_threads(), "torch": torch.__version__}
    print(json.dumps(result))
    return 0


def setup_network(args):
    """A seed network, SGD as the course's, and a random batch (images in [0, 1), labels 0/1)."""
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    make, activation = VESSEL_NETWORKS[args.network]
    classes = args.classes or (2 if args.network == "octa-unet" else 1)
    model = make(args.in_channels, classes, args.width)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)
    x = torch.rand(args.batch, args.in_channels, args.size, args.size)
    y = (torch.rand(args.batch, classes, args.size, args.size) < 0.12).float()
    return model, activation, optimizer, x, y


def network_step(model, activation, optimizer, x, y):
    out = model(x)
    probs = torch.sigmoid(out) if activation == "sigmoid" else out
    loss = nn.functional.binary_cross_entropy(probs.reshape(-1), y.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def bench(args):
    if args.network:
        model, activation, optimizer, x, y = setup_network(args)
        def step():
            return network_step(model, activation, optimizer, x, y)
        name = f"{args.network} (width {args.width})"
    else:
        model, criterion, optimizer = setup(args)
        batch_x, batch_y = Generator(args.size, args.seed)(args.batch)
        x, y = to_nchw(batch_x), to_nchw(batch_y)
        def step():
            return train_step(model, criterion, optimizer, x, y)
        name = args.model
    for _ in range(2):
        step()
    train_times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        train_times.append(time.perf_counter() - t0)
    model.eval()
    forward_times = []
    with torch.no_grad():
        model(x)
        for _ in range(args.steps):
            t0 = time.perf_counter()
            model(x)
            forward_times.append(time.perf_counter() - t0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB
    train_s, forward_s = statistics.median(train_times), statistics.median(forward_times)
    print(f"{name} batch {args.batch} {args.size}x{args.size}, {torch.get_num_threads()} threads, "
          f"torch {torch.__version__}: train step {train_s:.3f} s, forward {forward_s:.3f} s "
          f"(median of {args.steps}), peak RSS {peak_mb:.0f} MB")
    print(json.dumps({"train_step_s": round(train_s, 4), "forward_s": round(forward_s, 4),
                      "peak_rss_mb": round(peak_mb, 1), "model": args.network or args.model,
                      "parameters": sum(p.numel() for p in model.parameters()), "batch": args.batch,
                      "size": args.size, "steps": args.steps, "threads": torch.get_num_threads(),
                      "torch": torch.__version__}))
    return 0


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text}")
    return value


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    sub = p.add_subparsers(dest="command", required=True)
    for name, defaults in (("train", {"steps": 50}), ("bench", {"steps": 5})):
        s = sub.add_parser(name, help="the course's training loop" if name == "train" else "time one step")
        s.add_argument("--model", choices=sorted(MODELS), default="unet")
        s.add_argument("--steps", type=positive, default=defaults["steps"])
        s.add_argument("--batch", type=positive, default=4)
        s.add_argument("--size", type=positive, default=128, help="image side in pixels")
        s.add_argument("--seed", type=int, default=1)
        s.add_argument("--threads", type=positive, default=None, help="torch.set_num_threads (default: torch's)")
        if name == "train":
            s.add_argument("--epochs", type=positive, default=5)
        else:
            s.add_argument("--network", choices=sorted(VESSEL_NETWORKS), help="a seed's vessel network instead")
            s.add_argument("--width", type=positive, default=64, help="--network: width of the first level")
            s.add_argument("--in-channels", type=int, choices=(1, 3), default=1)
            s.add_argument("--classes", type=int, choices=(1, 2), default=None)
    args = p.parse_args(argv)
    if args.size < 16:
        p.error(f"--size must be at least 16 (the UNet halves it four times), got {args.size}")
    return train(args) if args.command == "train" else bench(args)


if __name__ == "__main__":
    sys.exit(main())
