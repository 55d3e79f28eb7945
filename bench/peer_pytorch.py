#!/usr/bin/python3
"""PyTorch peer of `medssl bench`: the same networks, batches, losses, optimisers, precision and
thread count, timed the same way, written as the same JSON ("networks" list).

Run with Debian's python3-torch: /usr/bin/python3 bench/peer_pytorch.py --configs all --json out.json
Keep the configurations in step with org.medssl.bench.NetworkConfig.
"""
import argparse
import json
import os
import random
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = 4
SMOOTH = 1e-5

# name: (dims, channels, batch, size, loss, optimiser, lr, weight decay) -- as NetworkConfig.references()
CONFIGS = {
    "unet2d": (2, [16, 32, 64, 128, 256], 8, 128, "dice", "adam", 1e-3, 0.0),
    "unet3d": (3, [8, 16, 32, 64], 2, 64, "dice", "adam", 1e-3, 0.0),
    "demo2d": (2, [8, 16, 32, 64], 8, 96, "dice-ce", "adamw", 5e-3, 1e-5),
}


class ConvBlock(nn.Module):
    """Two 3x3(x3) bias-free convolutions, each followed by affine instance norm and leaky ReLU 0.01."""

    def __init__(self, dims, cin, cout):
        super().__init__()
        conv = nn.Conv2d if dims == 2 else nn.Conv3d
        norm = nn.InstanceNorm2d if dims == 2 else nn.InstanceNorm3d
        self.conv1 = conv(cin, cout, 3, padding=1, bias=False)
        self.norm1 = norm(cout, affine=True)
        self.conv2 = conv(cout, cout, 3, padding=1, bias=False)
        self.norm2 = norm(cout, affine=True)

    def forward(self, x):
        x = F.leaky_relu(self.norm1(self.conv1(x)), 0.01)
        return F.leaky_relu(self.norm2(self.conv2(x)), 0.01)


class SegNet(nn.Module):
    """medssl's nn.SegNet: encoder blocks with 2x max-pooling, decoder of 2x transposed convs
    (with bias), concatenation [up, skip], a block per level, and a 1x1 head with bias."""

    def __init__(self, dims, channels, classes):
        super().__init__()
        self.dims = dims
        self.encoder = nn.ModuleList()
        cin = 1
        for c in channels:
            self.encoder.append(ConvBlock(dims, cin, c))
            cin = c
        up = nn.ConvTranspose2d if dims == 2 else nn.ConvTranspose3d
        self.ups = nn.ModuleList()
        self.blocks = nn.ModuleList()
        for level in range(len(channels) - 2, -1, -1):
            self.ups.append(up(channels[level + 1], channels[level], 2, stride=2, bias=True))
            self.blocks.append(ConvBlock(dims, 2 * channels[level], channels[level]))
        conv = nn.Conv2d if dims == 2 else nn.Conv3d
        self.head = conv(channels[0], classes, 1, bias=True)

    def forward(self, x):
        pool = F.max_pool2d if self.dims == 2 else F.max_pool3d
        features = []
        for i, block in enumerate(self.encoder):
            if i > 0:
                x = pool(x, 2)
            x = block(x)
            features.append(x)
        h = features[-1]
        for i, (up, block) in enumerate(zip(self.ups, self.blocks)):
            h = block(torch.cat([up(h), features[-2 - i]], 1))
        return self.head(h)


def soft_dice_loss(logits, targets):
    """1 - mean foreground soft Dice, sums pooled over the batch (medssl SegLoss.softDiceLoss)."""
    classes = logits.shape[1]
    probs = logits.softmax(1)
    onehot = F.one_hot(targets, classes).float()
    onehot = onehot.permute(0, onehot.dim() - 1, *range(1, onehot.dim() - 1)).contiguous()
    reduce = [0] + list(range(2, logits.dim()))
    intersection = (probs * onehot).sum(reduce)
    denominator = (probs + onehot).sum(reduce)
    dice = (2 * intersection + SMOOTH) / (denominator + SMOOTH)
    return 1 - dice[1:].mean()


def seg_loss(kind, logits, targets):
    fp32 = logits.float()
    dice = soft_dice_loss(fp32, targets)
    return dice if kind == "dice" else dice + F.cross_entropy(fp32, targets)


def rss_mb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def stats(ms):
    return {"median": statistics.median(ms), "min": min(ms), "max": max(ms), "n": len(ms)}


def timed(warmup, steps, call):
    for _ in range(warmup):
        call()
    ms = []
    for _ in range(steps):
        start = time.perf_counter()
        call()
        ms.append((time.perf_counter() - start) * 1000)
    return ms


def run(name, precision, warmup, steps):
    dims, channels, batch, size, loss_kind, opt_kind, lr, wd = CONFIGS[name]
    start_rss = rss_mb("VmRSS:")
    reset_peak_rss()
    torch.manual_seed(0)
    net = SegNet(dims, channels, CLASSES)
    params = list(net.parameters())
    opt = (torch.optim.Adam(params, lr=lr, weight_decay=wd) if opt_kind == "adam"
           else torch.optim.AdamW(params, lr=lr, weight_decay=wd))
    shape = [batch, 1] + [size] * dims
    images = torch.randn(shape)
    labels = torch.randint(0, CLASSES, [batch] + [size] * dims)
    bf16 = precision == "bf16"

    def train_step():
        net.train()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = net(images)
        loss = seg_loss(loss_kind, logits, labels)
        loss.item()  # medssl reads the loss before the update, as fine-tuning does
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    def infer():
        net.eval()
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            net(images)

    train = stats(timed(warmup, steps, train_step))
    inference = stats(timed(min(warmup, 2), steps, infer))
    return {
        "config": name, "precision": precision, "batch": "x".join(map(str, shape)),
        "threads": torch.get_num_threads(), "parameters": sum(p.numel() for p in params),
        "trainMs": train, "trainSamplesPerSecond": batch * 1000 / train["median"],
        "inferMs": inference, "inferSamplesPerSecond": batch * 1000 / inference["median"],
        "startRssMb": start_rss, "peakRssMb": rss_mb("VmHWM:"),
    }


def openmp_wait():
    """How idle OpenMP threads wait, described as medssl's bench describes it (Engine.openmpWait)."""
    policy, spins = os.environ.get("OMP_WAIT_POLICY", "").strip(), os.environ.get("GOMP_SPINCOUNT", "").strip()
    if not policy and not spins:
        return "libgomp default"
    return " ".join(x for x in (policy and f"OMP_WAIT_POLICY={policy}", spins and f"GOMP_SPINCOUNT={spins}") if x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--configs", default="all", help="comma-separated: unet2d, unet3d, demo2d, or all")
    ap.add_argument("--precision", default="fp32,bf16", help="comma-separated: fp32, bf16")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)),
                    help="intra-op threads (default: cores available, as medssl)")
    ap.add_argument("--json", help="write the report here")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    random.seed(0)
    names = list(CONFIGS) if a.configs == "all" else [c.strip() for c in a.configs.split(",") if c.strip()]
    networks = []
    for name in names:
        for precision in [p.strip() for p in a.precision.split(",") if p.strip()]:
            print(f"peer: {name} {precision}: {a.warmup} warm-up + {a.steps} timed steps", file=sys.stderr)
            networks.append(run(name, precision, a.warmup, a.steps))
    report = {"engine": f"PyTorch {torch.__version__}", "threads": torch.get_num_threads(),
              "openmpWait": openmp_wait(), "networks": networks}
    print(f"{report['engine']}, {report['threads']} threads ({report['openmpWait']})")
    print(f"{'config':8} {'prec':5} {'batch':16} {'params':>10} {'train ms':>12} {'infer ms':>12} {'peak MB':>10}")
    for r in networks:
        print(f"{r['config']:8} {r['precision']:5} {r['batch']:16} {r['parameters']:>10} "
              f"{r['trainMs']['median']:>12.1f} {r['inferMs']['median']:>12.1f} {r['peakRssMb']:>10.0f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
