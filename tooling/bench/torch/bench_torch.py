"""PyTorch side of gankit's benchmarks: the same models, batches and optimizer as tooling/bench/src/cases.ts.

One case per process (peak RSS belongs to it), printed as one JSON line:

    /usr/bin/python3 tooling/bench/torch/bench_torch.py train --case seed-64 --threads 2 --seconds 20

Debian's python3-torch (1.13, CPU) is what the project measured with: `apt-get install -y python3-torch`.
Each training step is what gankit's trainer does: one D update (real + fake, G frozen), one G update through
D, Adam on both, and the losses read back (`.item()`) as the trainer reads its logs.
"""

import argparse
import json
import resource
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F


class SamePadConvT(nn.Module):
    """Keras Conv2DTranspose(k=4, s=2, 'same'): output exactly 2x the input."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.ConvTranspose2d(cin, cout, 4, stride=2, padding=1)

    def forward(self, x):
        return self.conv(x)


def seed_gan():
    """Seed 002's Keras MNIST GAN, layer for layer (gankit's seedKerasMnist)."""
    g = nn.Sequential(
        nn.Linear(100, 128 * 7 * 7),
        nn.LeakyReLU(0.2),
        nn.Unflatten(1, (128, 7, 7)),
        SamePadConvT(128, 128),
        nn.LeakyReLU(0.2),
        SamePadConvT(128, 128),
        nn.LeakyReLU(0.2),
        nn.Conv2d(128, 1, 7, padding=3),
        nn.Sigmoid(),
    )
    d = nn.Sequential(
        nn.Conv2d(1, 64, 3, stride=2, padding=1),
        nn.LeakyReLU(0.2),
        nn.Dropout(0.4),
        nn.Conv2d(64, 64, 3, stride=2, padding=1),
        nn.LeakyReLU(0.2),
        nn.Dropout(0.4),
        nn.Flatten(),
        nn.Linear(64 * 7 * 7, 1),
    )
    return g, d, 100, (1, 28, 28), (0.0, 1.0)


def dcgan32():
    """DCGAN 32x32x3, width 64 (gankit's dcgan({ imageSize: 32, channels: 3, width: 64 }))."""
    w = 64
    bn = lambda c: nn.BatchNorm2d(c, momentum=0.1, eps=1e-5)
    g = nn.Sequential(
        nn.Unflatten(1, (100, 1, 1)),
        nn.ConvTranspose2d(100, 4 * w, 4, 1, 0, bias=False), bn(4 * w), nn.ReLU(),
        nn.ConvTranspose2d(4 * w, 2 * w, 4, 2, 1, bias=False), bn(2 * w), nn.ReLU(),
        nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False), bn(w), nn.ReLU(),
        nn.ConvTranspose2d(w, 3, 4, 2, 1, bias=False), nn.Tanh(),
    )
    d = nn.Sequential(
        nn.Conv2d(3, w, 4, 2, 1, bias=False), nn.LeakyReLU(0.2),
        nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), bn(2 * w), nn.LeakyReLU(0.2),
        nn.Conv2d(2 * w, 4 * w, 4, 2, 1, bias=False), bn(4 * w), nn.LeakyReLU(0.2),
        nn.Conv2d(4 * w, 1, 4, 1, 0, bias=False), nn.Flatten(),
    )
    return g, d, 100, (3, 32, 32), (-1.0, 1.0)


def ring8_mlp():
    """The ring-8 MLP GAN: G 2 -> 3x(128, BN, ReLU) -> 2; D reads pairs (PacGAN 2): 4 -> 3x(128, ReLU) -> 1."""
    g = nn.Sequential(
        nn.Linear(2, 128), nn.BatchNorm1d(128, momentum=0.01), nn.ReLU(),
        nn.Linear(128, 128), nn.BatchNorm1d(128, momentum=0.01), nn.ReLU(),
        nn.Linear(128, 128), nn.BatchNorm1d(128, momentum=0.01), nn.ReLU(),
        nn.Linear(128, 2),
    )
    d = nn.Sequential(
        nn.Linear(4, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
        nn.Linear(128, 1),
    )
    return g, d, 2, (2,), (-1.0, 1.0)


# id -> (builder, D real/fake batch, G batch, lr, samples per step for the throughput column, pack)
CASES = {
    "seed-64": (seed_gan, 32, 64, 2e-4, 64, 1),
    "seed-256": (seed_gan, 128, 256, 2e-4, 256, 1),
    "dcgan-32": (dcgan32, 64, 64, 2e-4, 64, 1),
    "ring8-mlp": (ring8_mlp, 128, 128, 1e-3, 1, 2),
}


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def train(args):
    build, d_batch, g_batch, lr, per_step, pack = CASES[args.case]
    torch.manual_seed(1)
    dev = torch.device(args.device)
    g, d, latent, shape, (lo, hi) = build()
    g.to(dev)
    d.to(dev)
    g.train()
    d.train()
    opt_g = torch.optim.Adam(g.parameters(), lr=lr, betas=(0.5, 0.999), eps=1e-7)
    opt_d = torch.optim.Adam(d.parameters(), lr=lr, betas=(0.5, 0.999), eps=1e-7)
    real = torch.rand(d_batch, *shape, device=dev) * (hi - lo) + lo
    ones_d = torch.ones(d_batch // pack, 1, device=dev)
    zeros_d = torch.zeros(d_batch // pack, 1, device=dev)
    ones_g = torch.ones(g_batch // pack, 1, device=dev)
    packed = (lambda x: x.reshape(x.shape[0] // pack, -1)) if pack > 1 else (lambda x: x)

    def step():
        # D: real + fake, G frozen (its forward outside autograd, in training mode as gankit's trainer runs it)
        with torch.no_grad():
            fake = g(torch.randn(d_batch, latent, device=dev))
        opt_d.zero_grad(set_to_none=True)
        loss_d = F.binary_cross_entropy_with_logits(d(packed(real)), ones_d) + F.binary_cross_entropy_with_logits(
            d(packed(fake)), zeros_d
        )
        loss_d.backward()
        opt_d.step()
        # G: non-saturating loss through D; only G's parameters are updated
        opt_g.zero_grad(set_to_none=True)
        loss_g = F.binary_cross_entropy_with_logits(d(packed(g(torch.randn(g_batch, latent, device=dev)))), ones_g)
        loss_g.backward()
        opt_g.step()
        return loss_d.item(), loss_g.item()

    for _ in range(args.warmup):
        step()
    times = []
    t0 = time.perf_counter()
    while len(times) < args.min_steps or time.perf_counter() - t0 < args.seconds:
        s = time.perf_counter()
        step()
        times.append(time.perf_counter() - s)
    seconds = time.perf_counter() - t0
    times.sort()
    return {
        "case": args.case,
        "device": args.device,
        "threads": torch.get_num_threads(),
        "steps": len(times),
        "seconds": seconds,
        "stepsPerSecond": len(times) / seconds,
        "throughput": len(times) / seconds * per_step,
        "medianStepMs": times[len(times) // 2] * 1000,
        "peakRssMB": peak_rss_mb(),
    }


def generate(args):
    build = CASES[args.case][0]
    torch.manual_seed(1)
    g, _, latent, _, _ = build()
    g.to(args.device)
    g.eval()
    batch = 256
    with torch.no_grad():
        z = torch.randn(batch, latent, device=args.device)
        g(z).sum().item()
        n = 0
        t0 = time.perf_counter()
        while n < 3 or time.perf_counter() - t0 < args.seconds:
            g(z).sum().item()  # waits for the device, as the tfjs side reads its images back
            n += 1
    seconds = time.perf_counter() - t0
    return {"case": args.case, "threads": torch.get_num_threads(), "imagesPerSecond": n * batch / seconds,
            "batch": batch, "peakRssMB": peak_rss_mb()}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("mode", choices=["train", "generate", "info"])
    p.add_argument("--case", default="seed-64", choices=sorted(CASES))
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--min-steps", type=int, default=3)
    p.add_argument("--device", default="cpu", help="cpu, or cuda to compare with tfjs on the same GPU")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.mode == "info":
        out = {"torch": torch.__version__, "config": torch.__config__.parallel_info().splitlines()[:4]}
    else:
        out = (train if args.mode == "train" else generate)(args)
    out["torch"] = torch.__version__
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())
