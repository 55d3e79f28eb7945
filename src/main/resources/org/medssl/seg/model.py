"""A medssl segmentation network in PyTorch, written beside its weights by `medssl export`.

    import model
    net = model.load("m.pt")          # or "m.safetensors"; reads m.json, written beside it
    logits = net(x)                   # x: (N, C, H, W) in 2D or (N, C, D, H, W) in 3D, float32

x must be prepared as m.json's "preprocessing" says (medssl's Preprocessing: canonical RAS axes,
spacing, then the normalisation: MR clip to the percentiles + z-score, or CT window + z-score, per
scan), 2D networks taking slices along "sliceAxis", 3D ones windows of "inference.patch".

The layers are medssl's nn.SegNet, named as medssl names its weights: the U-Net encoder (per
stage two 3x3(x3) bias-free convolutions, each followed by the normalisation and a leaky ReLU of
slope 0.01, 2x max-pooling between stages) or a ResNet-18/50 encoder (a full-resolution 3x3 stem,
then residual stages whose first block halves the resolution); the U-Net decoder (per level a 2x
transposed convolution with bias, concatenation [up, skip] and such a block); a 1x1 head.

    python3 model.py m.pt --torchscript m.ts    # the same network as a TorchScript file
"""
import argparse
import json
import os
from collections import OrderedDict
from typing import List

import torch
import torch.nn.functional as F
from torch import nn


def _norm(kind, dims, channels):
    if kind == "instance":  # medssl's instance norm: affine, eps 1e-5, no running statistics
        return nn.GroupNorm(channels, channels, eps=1e-5)
    if kind == "group":  # up to 8 groups, as many as divide the channels
        groups = next((g for g in range(min(8, channels), 1, -1) if channels % g == 0), 1)
        return nn.GroupNorm(groups, channels, eps=1e-5)
    if kind == "batch":
        return (nn.BatchNorm2d if dims == 2 else nn.BatchNorm3d)(channels, eps=1e-5)
    raise ValueError("unknown norm " + kind)


class ConvBlock(nn.Module):
    def __init__(self, dims, norm, cin, cout):
        super().__init__()
        conv = nn.Conv2d if dims == 2 else nn.Conv3d
        self.conv1 = conv(cin, cout, 3, padding=1, bias=False)
        self.norm1 = _norm(norm, dims, cout)
        self.conv2 = conv(cout, cout, 3, padding=1, bias=False)
        self.norm2 = _norm(norm, dims, cout)

    def forward(self, x):
        x = F.leaky_relu(self.norm1(self.conv1(x)), 0.01)
        return F.leaky_relu(self.norm2(self.conv2(x)), 0.01)


class Encoder(nn.Sequential):
    """Stages named stage0, stage1, ... (the weight names encoder.stageK.*), 2x max-pooling between."""

    def __init__(self, dims, norm, in_channels, channels):
        cin = [in_channels] + list(channels[:-1])
        super().__init__(OrderedDict(("stage%d" % i, ConvBlock(dims, norm, cin[i], c)) for i, c in enumerate(channels)))
        self.dims = dims

    def forward(self, x):
        features = []
        for i, stage in enumerate(self):
            if i > 0:
                x = F.max_pool2d(x, 2) if self.dims == 2 else F.max_pool3d(x, 2)
            x = stage(x)
            features.append(x)
        return features


class ConvNorm(nn.Module):
    """A bias-free convolution and its normalisation (the ResNet encoders' unit)."""

    def __init__(self, dims, norm, cin, cout, kernel, stride):
        super().__init__()
        conv = nn.Conv2d if dims == 2 else nn.Conv3d
        self.conv = conv(cin, cout, kernel, stride=stride, padding=(kernel - 1) // 2, bias=False)
        self.norm = _norm(norm, dims, cout)

    def forward(self, x):
        return self.norm(self.conv(x))


class Stem(ConvNorm):
    """A 3x3(x3) convolution at full resolution (not torchvision's 7x7 stride 2 and max-pooling)."""

    def forward(self, x):
        return F.relu(self.norm(self.conv(x)))


class BasicBlock(nn.Module):
    """ResNet-18's block: two 3x3 convolutions, the first with the stride, and a shortcut."""

    def __init__(self, dims, norm, cin, cout, stride):
        super().__init__()
        conv = nn.Conv2d if dims == 2 else nn.Conv3d
        self.conv1 = conv(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.norm1 = _norm(norm, dims, cout)
        self.conv2 = conv(cout, cout, 3, padding=1, bias=False)
        self.norm2 = _norm(norm, dims, cout)
        self.shortcut = None if stride == 1 and cin == cout else ConvNorm(dims, norm, cin, cout, 1, stride)

    def forward(self, x):
        h = F.relu(self.norm1(self.conv1(x)))
        skip = x if self.shortcut is None else self.shortcut(x)
        return F.relu(self.norm2(self.conv2(h)) + skip)


class Bottleneck(nn.Module):
    """ResNet-50's block: 1x1 down to a quarter, 3x3 with the stride (v1.5), 1x1 up, and a shortcut."""

    def __init__(self, dims, norm, cin, cout, stride):
        super().__init__()
        conv = nn.Conv2d if dims == 2 else nn.Conv3d
        inner = max(1, cout // 4)
        self.conv1 = conv(cin, inner, 1, bias=False)
        self.norm1 = _norm(norm, dims, inner)
        self.conv2 = conv(inner, inner, 3, stride=stride, padding=1, bias=False)
        self.norm2 = _norm(norm, dims, inner)
        self.conv3 = conv(inner, cout, 1, bias=False)
        self.norm3 = _norm(norm, dims, cout)
        self.shortcut = None if stride == 1 and cin == cout else ConvNorm(dims, norm, cin, cout, 1, stride)

    def forward(self, x):
        h = F.relu(self.norm1(self.conv1(x)))
        h = F.relu(self.norm2(self.conv2(h)))
        skip = x if self.shortcut is None else self.shortcut(x)
        return F.relu(self.norm3(self.conv3(h)) + skip)


class ResNetEncoder(nn.Sequential):
    """medssl's ResNet-18/50 encoder: a full-resolution stem (stage0), then residual stages whose
    first block halves the resolution (stageK.blockJ), every stage's output a feature map."""

    BLOCKS = {"resnet18": (BasicBlock, [2, 2, 2, 2]), "resnet50": (Bottleneck, [3, 4, 6, 3])}

    def __init__(self, kind, dims, norm, in_channels, channels):
        block, counts = self.BLOCKS[kind]
        stages = [("stage0", Stem(dims, norm, in_channels, channels[0], 3, 1))]
        for k in range(1, len(channels)):
            blocks = [("block%d" % j, block(dims, norm, channels[k - 1] if j == 0 else channels[k], channels[k],
                                            2 if j == 0 else 1))
                      for j in range(counts[min(k, len(counts)) - 1])]
            stages.append(("stage%d" % k, nn.Sequential(OrderedDict(blocks))))
        super().__init__(OrderedDict(stages))

    def forward(self, x):
        features = []
        for stage in self:
            x = stage(x)
            features.append(x)
        return features


class Level(nn.Module):
    def __init__(self, dims, norm, below, here):
        super().__init__()
        self.up = (nn.ConvTranspose2d if dims == 2 else nn.ConvTranspose3d)(below, here, 2, stride=2, bias=True)
        self.block = ConvBlock(dims, norm, 2 * here, here)

    def forward(self, h, skip):
        return self.block(torch.cat([self.up(h), skip], 1))


class Decoder(nn.Sequential):
    """Levels named levelK (the weight names decoder.levelK.*), coarsest first, as medssl runs them."""

    def __init__(self, dims, norm, channels):
        levels = range(len(channels) - 2, -1, -1)
        super().__init__(OrderedDict(("level%d" % k, Level(dims, norm, channels[k + 1], channels[k])) for k in levels))

    def forward(self, features: List[torch.Tensor]):
        h = features[-1]
        for i, level in enumerate(self):
            h = level(h, features[-2 - i])
        return h


class SegNet(nn.Module):
    def __init__(self, architecture):
        super().__init__()
        a = architecture
        if a["decoder"] != "unet" or a["encoder"] not in ("unet", "resnet18", "resnet50"):
            raise ValueError("this module builds the U-Net decoder on the U-Net or ResNet encoders, not %s/%s"
                             % (a["encoder"], a["decoder"]))
        dims, norm, channels = a["dims"], a["norm"], a["channels"]
        if a["encoder"] == "unet":
            self.encoder = Encoder(dims, norm, a["inChannels"], channels)
        else:
            self.encoder = ResNetEncoder(a["encoder"], dims, norm, a["inChannels"], channels)
        self.decoder = Decoder(dims, norm, channels)
        self.head = (nn.Conv2d if dims == 2 else nn.Conv3d)(channels[0], a["classes"], 1, bias=True)

    def forward(self, x):
        return self.head(self.decoder(self.encoder(x)))


def _read_safetensors(path):
    """The fp32 tensors of a safetensors file (8-byte header length, JSON header, raw data)."""
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
        data = bytearray(f.read())
    out = OrderedDict()
    for name, t in header.items():
        if name == "__metadata__":
            continue
        if t["dtype"] != "F32":
            raise ValueError("%s: %s is %s; medssl exports F32" % (path, name, t["dtype"]))
        begin, end = t["data_offsets"]
        out[name] = torch.frombuffer(data[begin:end], dtype=torch.float32).reshape(t["shape"]).clone()
    return out


def _state_dict(path):
    if path.endswith(".safetensors"):
        return _read_safetensors(path)
    return torch.load(path, map_location="cpu")


def load(path):
    """The network of an exported weight file, its architecture read from the .json beside it."""
    with open(os.path.splitext(path)[0] + ".json") as f:
        meta = json.load(f)
    net = SegNet(meta["architecture"])
    # medssl keeps no num_batches_tracked (a training counter of batch norm that inference ignores)
    missing, unexpected = net.load_state_dict(_state_dict(path), strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError("%s does not fit the architecture: missing %s, unexpected %s" % (path, missing, unexpected))
    return net.eval()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("weights")
    ap.add_argument("--torchscript", help="write the network as a TorchScript file")
    a = ap.parse_args()
    net = load(a.weights)
    print(net)
    if a.torchscript:
        torch.jit.script(net).save(a.torchscript)
        print("wrote", a.torchscript)
