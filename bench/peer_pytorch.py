#!/usr/bin/python3
"""PyTorch peer of `medssl bench`: the same networks, batches, losses, optimisers, precision and
thread count, timed the same way, written as the same JSON ("networks" list).

Run with Debian's python3-torch: /usr/bin/python3 bench/peer_pytorch.py --configs all --json out.json
Keep the configurations in step with org.medssl.bench.NetworkConfig.
"""
import argparse
import json
import math
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


class Encoder(nn.Module):
    """medssl's nn.PlainEncoder: a block per level, 2x max-pooling between levels."""

    def __init__(self, dims, channels):
        super().__init__()
        self.dims = dims
        self.blocks = nn.ModuleList()
        cin = 1
        for c in channels:
            self.blocks.append(ConvBlock(dims, cin, c))
            cin = c

    def features(self, x):
        """Every level's output, full resolution first."""
        pool = F.max_pool2d if self.dims == 2 else F.max_pool3d
        out = []
        for i, block in enumerate(self.blocks):
            x = block(pool(x, 2) if i > 0 else x)
            out.append(x)
        return out

    def forward(self, x):
        """The bottleneck map."""
        return self.features(x)[-1]


class SegNet(nn.Module):
    """medssl's nn.SegNet: encoder blocks with 2x max-pooling, decoder of 2x transposed convs
    (with bias), concatenation [up, skip], a block per level, and a 1x1 head with bias."""

    def __init__(self, dims, channels, classes):
        super().__init__()
        self.encoder = Encoder(dims, channels)
        up = nn.ConvTranspose2d if dims == 2 else nn.ConvTranspose3d
        self.ups = nn.ModuleList()
        self.blocks = nn.ModuleList()
        for level in range(len(channels) - 2, -1, -1):
            self.ups.append(up(channels[level + 1], channels[level], 2, stride=2, bias=True))
            self.blocks.append(ConvBlock(dims, 2 * channels[level], channels[level]))
        conv = nn.Conv2d if dims == 2 else nn.Conv3d
        self.head = conv(channels[0], classes, 1, bias=True)

    def forward(self, x):
        features = self.encoder.features(x)
        h = features[-1]
        for i, (up, block) in enumerate(zip(self.ups, self.blocks)):
            h = block(torch.cat([up(h), features[-2 - i]], 1))
        return self.head(h)


class ConvProjector(nn.Module):
    """medssl's ssl.ConvProjector: 1x1 conv (no bias), batch norm (batch statistics), ReLU, 1x1 conv."""

    def __init__(self, cin, hidden, cout):
        super().__init__()
        self.conv1 = nn.Conv3d(cin, hidden, 1, bias=False)
        self.norm = nn.BatchNorm3d(hidden)
        self.conv2 = nn.Conv3d(hidden, cout, 1, bias=True)

    def forward(self, x):
        return self.conv2(F.relu(self.norm(self.conv1(x))))


# pgl3d: as org.medssl.bench.PretextBench (the phantom-3d study's PGL).
PGL_CHANNELS, PGL_PATCH, PGL_BATCH, PGL_HIDDEN, PGL_OUT, PGL_TAU0 = [8, 16, 32, 64], (16, 48, 48), 4, 256, 64, 0.996


def pgl_geometries():
    """PretextBench.fixedViews: view v of sample i crops s x the patch per axis (s = 1.1 + 0.1 i,
    resp. 1.4 - 0.1 i) from 2i + a, resp. 3 + i + 2a, flipped on axis a when i + v + a is odd."""
    views = []
    for i in range(PGL_BATCH):
        pair = []
        for v in range(2):
            scale = 1.1 + 0.1 * i if v == 0 else 1.4 - 0.1 * i
            origin = [2 * i + a if v == 0 else 3 + i + 2 * a for a in range(3)]
            size = [scale * PGL_PATCH[a] for a in range(3)]
            flips = [(i + v + a) % 2 == 1 for a in range(3)]
            pair.append((origin, size, flips))
        views.append(pair)
    return views


def overlap_in_features(mine, theirs, feature_size):
    """PriorAlignment.overlapInFeatures: the two crops' intersection in my unflipped feature coordinates."""
    start, end = [], []
    for a in range(3):
        lo = max(mine[0][a], theirs[0][a])
        hi = min(mine[0][a] + mine[1][a], theirs[0][a] + theirs[1][a])
        to_feature = feature_size[a] / mine[1][a]  # input size / crop size, times feature size / input size
        start.append((lo - mine[0][a]) * to_feature)
        end.append((hi - mine[0][a]) * to_feature)
    return start, end


def roi_grid(regions, size, feature_size):
    """PriorAlignment.roiAlign's sampling grid: bin centres of each region, normalised, x first."""
    axes = [torch.arange(size[a], dtype=torch.float64) + 0.5 for a in range(3)]
    grids = []
    for start, end in regions:
        coords = [start[a] + axes[a] * (end[a] - start[a]) / size[a] for a in range(3)]
        norm = [2 * coords[a] / feature_size[a] - 1 for a in range(3)]
        z, y, x = torch.meshgrid(norm[0], norm[1], norm[2], indexing="ij")
        grids.append(torch.stack([x, y, z], -1))
    return torch.stack(grids).float()


def undo_flips(features, views):
    """FlipAlign: each sample's map flipped back along the axes its view flipped."""
    out = []
    for i, (_, _, flips) in enumerate(views):
        sample = features[i:i + 1]
        axes = [2 + a for a in range(3) if flips[a]]
        out.append(sample.flip(axes) if axes else sample)
    return torch.cat(out, 0)


def local_consistency(prediction, target):
    p = F.normalize(prediction.float(), dim=1, eps=1e-12)
    z = F.normalize(target.float().detach(), dim=1, eps=1e-12)
    return (p - z).pow(2).sum(1).mean()


class PglPeer(nn.Module):
    """medssl's ssl.Pgl: online encoder, projector and predictor; target encoder and projector,
    started as copies of the online ones and then their EMA (parameters only, as MomentumPairs)."""

    def __init__(self):
        super().__init__()
        c = PGL_CHANNELS[-1]
        self.online, self.projector = Encoder(3, PGL_CHANNELS), ConvProjector(c, PGL_HIDDEN, PGL_OUT)
        self.predictor = ConvProjector(PGL_OUT, PGL_HIDDEN, PGL_OUT)
        self.target, self.target_projector = Encoder(3, PGL_CHANNELS), ConvProjector(c, PGL_HIDDEN, PGL_OUT)
        targets = list(self.target.parameters()) + list(self.target_projector.parameters())
        self.pairs = list(zip(list(self.online.parameters()) + list(self.projector.parameters()), targets))
        with torch.no_grad():
            for o, t in self.pairs:
                t.copy_(o)
        for t in targets:
            t.requires_grad_(False)

    def trainable(self):
        return [p for p in self.parameters() if p.requires_grad]

    def loss(self, views, geometry, bf16):
        """Pgl.loss: both views through both paths, FlipAlign + CSAlign, the symmetrised local loss;
        also the target projections of the first view, which medssl watches for collapse."""
        per_view = [[pair[v] for pair in geometry] for v in range(2)]
        p, z = [], []
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            for v in range(2):
                p.append(self.projector(self.online(views[v])))
                with torch.no_grad():
                    z.append(self.target_projector(self.target(views[v])))
        loss = (self.predict_across(p[0], per_view[0], z[1], per_view[1], bf16)
                + self.predict_across(p[1], per_view[1], z[0], per_view[0], bf16))
        return loss, z[0]

    def predict_across(self, p, p_views, z, z_views, bf16):
        """Pgl.predictAcross: align in fp32 outside autocast, predict under it, compare in fp32."""
        a, b = undo_flips(p.float(), p_views), undo_flips(z.float(), z_views)
        size = a.shape[2:]
        grid_a = roi_grid([overlap_in_features(m, t, size) for m, t in zip(p_views, z_views)], size, size)
        grid_b = roi_grid([overlap_in_features(t, m, size) for m, t in zip(p_views, z_views)], size, size)
        a = F.grid_sample(a, grid_a, mode="bilinear", padding_mode="border", align_corners=False)
        b = F.grid_sample(b, grid_b, mode="bilinear", padding_mode="border", align_corners=False)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            prediction = self.predictor(a)
        return local_consistency(prediction, b)

    def update_target(self, step, total):
        """EmaSchedule.tau then MomentumPairs.update: target = tau target + (1 - tau) online."""
        tau = 1 - (1 - PGL_TAU0) * (math.cos(math.pi * min(1.0, step / max(1, total))) + 1) / 2
        with torch.no_grad():
            for o, t in self.pairs:
                t.mul_(tau).add_(o, alpha=1 - tau)


def pgl_optimizer(model):
    return torch.optim.AdamW(model.trainable(), lr=1e-3, weight_decay=1e-5)  # PretrainConfig.defaults


def pgl_step(model, opt, views, geometry, bf16, step, total):
    """ssl.PretextStep with Pgl's stage: loss (read before the update, as medssl's divergence check
    does), backward, AdamW, EMA update as global step `step` of `total`. Returns the loss."""
    loss, z0 = model.loss(views, geometry, bf16)
    with torch.no_grad():  # medssl's collapse watch (Collapse.std: population std of the voxel embeddings)
        e = z0.float().flatten(2).transpose(1, 2).reshape(-1, PGL_OUT)
        F.normalize(e, dim=1).std(0, unbiased=False).mean().item()
    value = loss.item()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    model.update_target(step, total)
    return value


def run_pgl(precision, warmup, steps):
    start_rss = rss_mb("VmRSS:")
    reset_peak_rss()
    torch.manual_seed(0)
    model = PglPeer()
    opt = pgl_optimizer(model)
    views = [torch.randn(PGL_BATCH, 1, *PGL_PATCH) for _ in range(2)]
    geometry = pgl_geometries()
    bf16 = precision == "bf16"
    total, done = warmup + steps, [0]

    def train_step():
        done[0] += 1
        pgl_step(model, opt, views, geometry, bf16, done[0], total)

    def infer():
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            model.projector(model.online(views[0]))

    train = stats(timed(warmup, steps, train_step))
    inference = stats(timed(min(warmup, 2), steps, infer))
    return {
        "config": "pgl3d", "precision": precision, "batch": f"{PGL_BATCH}x2x1x" + "x".join(map(str, PGL_PATCH)),
        "threads": torch.get_num_threads(), "parameters": sum(p.numel() for p in model.parameters()),
        "trainMs": train, "trainSamplesPerSecond": 2 * PGL_BATCH * 1000 / train["median"],
        "inferMs": inference, "inferSamplesPerSecond": PGL_BATCH * 1000 / inference["median"],
        "startRssMb": start_rss, "peakRssMb": rss_mb("VmHWM:"),
    }


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
    ap.add_argument("--configs", default="all", help="comma-separated: unet2d, unet3d, demo2d, pgl3d, or all")
    ap.add_argument("--precision", default="fp32,bf16", help="comma-separated: fp32, bf16")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)),
                    help="intra-op threads (default: cores available, as medssl)")
    ap.add_argument("--json", help="write the report here")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    random.seed(0)
    names = list(CONFIGS) + ["pgl3d"] if a.configs == "all" else [c.strip() for c in a.configs.split(",") if c.strip()]
    networks = []
    for name in names:
        for precision in [p.strip() for p in a.precision.split(",") if p.strip()]:
            print(f"peer: {name} {precision}: {a.warmup} warm-up + {a.steps} timed steps", file=sys.stderr)
            timer = run_pgl if name == "pgl3d" else lambda *args: run(name, *args)
            networks.append(timer(precision, a.warmup, a.steps))
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
