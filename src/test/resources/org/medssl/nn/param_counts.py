#!/usr/bin/python3
"""Outside oracle for the parameter counts asserted in ResNetEncoderTest and LightDecoderTest.

Builds the same blocks as medssl's ResNetEncoder and LightDecoder out of torch.nn layers and
prints their parameter counts (buffers such as batch-norm running statistics are not counted,
as ParamStore.parameterCount() does not count them either). Run with Debian's PyTorch:

    /usr/bin/python3 src/test/resources/org/medssl/nn/param_counts.py

It also prints the share of ASPP + decoder in a ResNet-50 segmentation network at a few widths
(PGL's appendix: 2.38 M of 48.54 M, about 5 %).
"""
import torch.nn as nn

RESNET18 = ("basic", [2, 2, 2, 2])
RESNET50 = ("bottleneck", [3, 4, 6, 3])


def conv(dims, cin, cout, k, stride=1, dilation=1, groups=1, bias=False):
    cls = nn.Conv2d if dims == 2 else nn.Conv3d
    return cls(cin, cout, k, stride=stride, padding=dilation * (k - 1) // 2, dilation=dilation,
               groups=groups, bias=bias)


def norm(c):
    # Instance, batch and group norm all have an affine weight and bias of c values each.
    return nn.GroupNorm(1, c)


class Shortcut(nn.Module):
    def __init__(self, dims, cin, cout, stride):
        super().__init__()
        self.conv = conv(dims, cin, cout, 1, stride)
        self.norm = norm(cout)


class BasicBlock(nn.Module):
    def __init__(self, dims, cin, cout, stride):
        super().__init__()
        self.conv1, self.norm1 = conv(dims, cin, cout, 3, stride), norm(cout)
        self.conv2, self.norm2 = conv(dims, cout, cout, 3), norm(cout)
        self.shortcut = Shortcut(dims, cin, cout, stride) if stride != 1 or cin != cout else None


class Bottleneck(nn.Module):
    def __init__(self, dims, cin, cout, stride):
        super().__init__()
        mid = max(1, cout // 4)
        self.conv1, self.norm1 = conv(dims, cin, mid, 1), norm(mid)
        self.conv2, self.norm2 = conv(dims, mid, mid, 3, stride), norm(mid)
        self.conv3, self.norm3 = conv(dims, mid, cout, 1), norm(cout)
        self.shortcut = Shortcut(dims, cin, cout, stride) if stride != 1 or cin != cout else None


class ResNetEncoder(nn.Module):
    def __init__(self, dims, layout, in_channels, channels):
        super().__init__()
        kind, counts = layout
        block = BasicBlock if kind == "basic" else Bottleneck
        self.stem = nn.Sequential(conv(dims, in_channels, channels[0], 3), norm(channels[0]))
        stages = []
        for k in range(1, len(channels)):
            n = counts[min(k - 1, len(counts) - 1)]
            blocks = [block(dims, channels[k - 1] if j == 0 else channels[k], channels[k], 2 if j == 0 else 1)
                      for j in range(n)]
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.ModuleList(stages)


class SeparableConv(nn.Module):
    """Depthwise k x k (dilated) then pointwise 1 x 1, then a norm."""

    def __init__(self, dims, cin, cout, dilation=1):
        super().__init__()
        self.depthwise = conv(dims, cin, cin, 3, dilation=dilation, groups=cin)
        self.pointwise = conv(dims, cin, cout, 1)
        self.norm = norm(cout)


class Aspp(nn.Module):
    def __init__(self, dims, cin, width):
        super().__init__()
        self.branch0 = nn.Sequential(conv(dims, cin, width, 1), norm(width))
        self.atrous = nn.ModuleList([SeparableConv(dims, cin, width, d) for d in (2, 4, 8)])
        self.pool = conv(dims, cin, width, 1, bias=True)
        self.project = nn.Sequential(conv(dims, 5 * width, width, 1), norm(width))


class UpBlock(nn.Module):
    def __init__(self, dims, cin, cout):
        super().__init__()
        cls = nn.ConvTranspose2d if dims == 2 else nn.ConvTranspose3d
        self.up = cls(cin, cout, 2, stride=2, bias=True)
        self.sep1 = SeparableConv(dims, cout, cout)
        self.sep2 = SeparableConv(dims, cout, cout)


class LightDecoder(nn.Module):
    def __init__(self, dims, channels, aspp_width):
        super().__init__()
        self.aspp = Aspp(dims, channels[-1], aspp_width)
        ups, below = [], aspp_width
        for level in range(len(channels) - 2, -1, -1):
            ups.append(UpBlock(dims, below, channels[level]))
            below = channels[level]
        self.ups = nn.ModuleList(ups)


def count(m):
    return sum(p.numel() for p in m.parameters())


def aspp_width(bottleneck, fraction):
    return max(1, round(bottleneck * fraction))


if __name__ == "__main__":
    print("# counts asserted in the tests")
    cases = [
        ("resnet18 2d in=1 [4,8,16,32,64]", ResNetEncoder(2, RESNET18, 1, [4, 8, 16, 32, 64])),
        ("resnet18 3d in=1 [4,8,16,32,64]", ResNetEncoder(3, RESNET18, 1, [4, 8, 16, 32, 64])),
        ("resnet50 2d in=1 [4,8,16,32,64]", ResNetEncoder(2, RESNET50, 1, [4, 8, 16, 32, 64])),
        ("resnet50 3d in=2 [4,8,16,32,64]", ResNetEncoder(3, RESNET50, 2, [4, 8, 16, 32, 64])),
        ("resnet50 3d in=1 [3,5,6] (truncated, inner max(1,c/4))", ResNetEncoder(3, RESNET50, 1, [3, 5, 6])),
        ("resnet18 2d in=1 [2,4,6,8,10,12] (6 stages)", ResNetEncoder(2, RESNET18, 1, [2, 4, 6, 8, 10, 12])),
        ("light 2d [4,8,16,32,64] aspp 64", LightDecoder(2, [4, 8, 16, 32, 64], 64)),
        ("light 3d [4,8,16,32,64] aspp 16", LightDecoder(3, [4, 8, 16, 32, 64], 16)),
        ("light 3d [4,8,16,32] aspp 32", LightDecoder(3, [4, 8, 16, 32], 32)),
        ("light 3d [64,256,512,1024,2048] aspp 512", LightDecoder(3, [64, 256, 512, 1024, 2048], 512)),
        ("resnet50 3d in=1 [64,256,512,1024,2048]", ResNetEncoder(3, RESNET50, 1, [64, 256, 512, 1024, 2048])),
    ]
    for name, m in cases:
        print(f"{name}: {count(m)}")

    print()
    print("# share of ASPP + decoder in a 3D ResNet-50 SegNet (1 input channel, 2 classes)")
    print("channels | aspp fraction | aspp width | encoder | aspp+decoder | share")
    for channels in ([8, 16, 32, 64, 128], [16, 32, 64, 128, 256], [32, 64, 128, 256, 512],
                     [64, 256, 512, 1024, 2048]):
        for fraction in (1.0, 0.25, 0.125, 0.0625):
            enc = count(ResNetEncoder(3, RESNET50, 1, channels))
            width = aspp_width(channels[-1], fraction)
            dec = count(LightDecoder(3, channels, width))
            head = 2 * channels[0] + 2
            total = enc + dec + head
            print(f"{channels} | {fraction} | {width} | {enc} | {dec} | {100.0 * dec / total:.1f} %")

    print()
    print("# what-if, not built: a narrow decoder (widths c_k / 4, 1x1 projections of the skips,")
    print("# ASPP at 1/16 of the bottleneck), which is about what 2.38 M of 48.54 M suggests")
    print("channels | encoder | aspp+decoder | share")
    for channels in ([32, 64, 128, 256, 512], [64, 256, 512, 1024, 2048]):
        enc = count(ResNetEncoder(3, RESNET50, 1, channels))
        narrow = [max(1, c // 4) for c in channels]
        dec = count(LightDecoder(3, narrow, aspp_width(channels[-1], 0.0625)))
        dec -= count(Aspp(3, narrow[-1], aspp_width(channels[-1], 0.0625)))
        dec += count(Aspp(3, channels[-1], aspp_width(channels[-1], 0.0625)))
        dec += sum(count(conv(3, c, d, 1)) for c, d in zip(channels[:-1], narrow[:-1]))
        total = enc + dec + 2 * narrow[0] + 2
        print(f"{channels} | {enc} | {dec} | {100.0 * dec / total:.1f} %")
