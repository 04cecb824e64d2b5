"""PyTorch twins of the seeds' networks that SegmentationModels builds in Swift.

Module names are the state_dict keys the Swift networks produce, so a state_dict crosses
between the two unchanged.

* `DACRse_Unet` (with `Rse`, `SE_Block`, `DAC_Block`, `DropBlock2d`): seed 003's code as it
  prints it, quirks included. One addition: `base` scales every width (the seed's is 64) so the
  fixtures can use small networks; `base=64` is the seed's network exactly.
* `SAUNet`: SA-UNet as the authors' Keras code builds it (Conv 3x3 -> DropBlock -> BatchNorm
  -> ReLU units, spatial attention in the bottleneck, ConvTranspose2d k3 s2 p1 op1), with
  readable module names chosen here.
* `OCTAUNet`: seed 002's UNet, from its printed torchinfo table.
"""
import torch
import torch.nn as nn
from torch.nn import functional as F


# ---------------------------------------------------------------------------------------------
# Seed 003: DACRSE-UNet, as printed (DropBlock2d, DAC_Block, SE_Block, Rse, DACRse_Unet).

class DropBlock2d(nn.Module):
    """Seed 003's DropBlock: one seed mask per channel, identity in evaluation."""

    def __init__(self, p, block_size, inplace=False):
        super().__init__()
        if p < 0.0 or p > 1.0:
            raise ValueError("p must be in [0, 1]")
        self.p = p
        self.block_size = block_size
        self.inplace = inplace

    def forward(self, input):
        if not self.training:
            return input
        N, C, H, W = input.size()
        gamma = (self.p * H * W) / ((self.block_size ** 2) * ((H - self.block_size + 1) * (W - self.block_size + 1)))
        mask_shape = (N, C, H - self.block_size + 1, W - self.block_size + 1)
        mask = torch.bernoulli(torch.full(mask_shape, gamma))
        mask = F.pad(mask, [self.block_size // 2] * 4, value=0)
        mask = F.max_pool2d(mask, stride=(1, 1), kernel_size=(self.block_size, self.block_size),
                            padding=self.block_size // 2)
        mask = 1 - mask
        normalize_scale = mask.numel() / (1e-6 + mask.sum())
        return input * mask * normalize_scale


class DAC_Block(nn.Module):
    def __init__(self, in_channel, mid_channel, out_channel):
        super().__init__()
        self.one = nn.Conv2d(in_channel, out_channel, kernel_size=3, dilation=1, padding=1)
        self.two = nn.Sequential(
            nn.Conv2d(in_channel, mid_channel, kernel_size=3, dilation=3, padding=3),
            nn.Conv2d(mid_channel, out_channel, kernel_size=1, dilation=1))
        self.three = nn.Sequential(
            nn.Conv2d(in_channel, mid_channel, kernel_size=3, dilation=1, padding=1),
            nn.Conv2d(mid_channel, mid_channel, kernel_size=1, dilation=3),
            nn.Conv2d(mid_channel, out_channel, kernel_size=1, dilation=1))
        self.four = nn.Sequential(
            nn.Conv2d(in_channel, mid_channel, kernel_size=3, dilation=1, padding=1),
            nn.Conv2d(mid_channel, mid_channel, kernel_size=3, dilation=3, padding=3),
            nn.Conv2d(mid_channel, mid_channel, kernel_size=3, dilation=5, padding=5),
            nn.Conv2d(mid_channel, out_channel, kernel_size=1, dilation=1))

    def forward(self, x):
        return self.one(x) + self.two(x) + self.three(x) + self.four(x)


class SE_Block(nn.Module):
    def __init__(self, ch_in, reduction=16):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(
            nn.Linear(ch_in, ch_in // reduction, bias=False),
            nn.ReLU(inplace=True),
            nn.Linear(ch_in // reduction, ch_in, bias=False),
            nn.Sigmoid())

    def forward(self, x):
        b, c, _, _ = x.size()
        y = self.avg_pool(x).view(b, c)
        y = self.fc(y).view(b, c, 1, 1)
        return x * y.expand_as(x)


class Rse(nn.Module):
    def __init__(self, input_channels, output_channels):
        super().__init__()
        self.start = nn.Sequential(
            nn.BatchNorm2d(input_channels),
            nn.ReLU(),
            nn.Conv2d(input_channels, input_channels, kernel_size=3, stride=1, padding=1),
            DropBlock2d(p=0.5, block_size=3 * 3),
            nn.BatchNorm2d(input_channels),
            nn.ReLU(),
            nn.Conv2d(input_channels, input_channels, kernel_size=3, stride=1, padding=1),
            DropBlock2d(p=0.5, block_size=3 * 3))
        self.se = SE_Block(input_channels)
        self.out = nn.Conv2d(input_channels, out_channels=output_channels, kernel_size=1)

    def forward(self, x):
        input = self.start(x)
        SE_ = self.se(input)
        SE_out = SE_ * input
        out = x + SE_out
        return self.out(out)


class DACRse_Unet(nn.Module):
    def __init__(self, in_channel, base=64, out_channels=3):
        super().__init__()
        b = base
        self.rse1 = Rse(input_channels=in_channel, output_channels=b)
        self.rse2 = Rse(input_channels=b, output_channels=2 * b)
        self.rse3 = Rse(input_channels=2 * b, output_channels=4 * b)
        self.pool = nn.MaxPool2d(kernel_size=2)
        self.dac = DAC_Block(4 * b, mid_channel=4 * b, out_channel=8 * b)
        self.Deconv_3 = nn.ConvTranspose2d(8 * b, 4 * b, kernel_size=2, stride=2)
        self.Deconv_2 = nn.ConvTranspose2d(4 * b, 2 * b, kernel_size=2, stride=2)
        self.Deconv_1 = nn.ConvTranspose2d(2 * b, b, kernel_size=2, stride=2)
        self.drse3 = Rse(input_channels=4 * b, output_channels=4 * b)
        self.drse2 = Rse(input_channels=2 * b, output_channels=2 * b)
        self.drse1 = Rse(input_channels=b, output_channels=b)
        # out_channels: 3 as the seed prints it; 1 for binary vessel labels (unetlab's dacrse-unet).
        self.Last = nn.Sequential(nn.Conv2d(b, out_channels, kernel_size=1), nn.Sigmoid())

    def forward(self, x):
        x1 = self.rse1(x)
        x2 = self.rse2(self.pool(x1))
        x3 = self.rse3(self.pool(x2))
        dac = self.dac(self.pool(x3))
        rx3 = self.drse3(self.Deconv_3(dac))
        rx2 = self.drse2(self.Deconv_2(rx3))
        rx1 = self.drse1(self.Deconv_1(rx2))
        return self.Last(rx1)


# ---------------------------------------------------------------------------------------------
# Seed 000: SA-UNet.

class SpatialAttention(nn.Module):
    def __init__(self, kernel_size=7):
        super().__init__()
        self.conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=False)

    def forward(self, x):
        m = torch.cat([x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)], dim=1)
        return x * torch.sigmoid(self.conv(m))


class SAUnit(nn.Module):
    """Conv 3x3 (bias) -> DropBlock -> BatchNorm -> ReLU (torchvision's DropBlock2d semantics)."""

    def __init__(self, cin, cout, block_size=7, p=0.18):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.drop = DropBlock2d(p, block_size)  # no parameters: the state_dict keys stay conv.*, bn.*
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        # A random mask cannot match Swift's: the parity fixtures train with p = 0.
        x = self.drop(self.conv(x)) if self.drop.p > 0 else self.conv(x)
        return F.relu(self.bn(x))


def sa_level(cin, cout, block_size, p):
    return nn.Sequential(SAUnit(cin, cout, block_size, p), SAUnit(cout, cout, block_size, p))


class SAUNet(nn.Module):
    def __init__(self, in_channels=3, width=16, block_size=7, p=0.18):
        super().__init__()
        w = width
        self.enc1 = sa_level(in_channels, w, block_size, p)
        self.enc2 = sa_level(w, 2 * w, block_size, p)
        self.enc3 = sa_level(2 * w, 4 * w, block_size, p)
        self.pool = nn.MaxPool2d(2)
        self.bottleneck1 = SAUnit(4 * w, 8 * w, block_size, p)
        self.attention = SpatialAttention(7)
        self.bottleneck2 = SAUnit(8 * w, 8 * w, block_size, p)
        self.up3 = nn.ConvTranspose2d(8 * w, 4 * w, 3, stride=2, padding=1, output_padding=1)
        self.dec3 = sa_level(8 * w, 4 * w, block_size, p)
        self.up2 = nn.ConvTranspose2d(4 * w, 2 * w, 3, stride=2, padding=1, output_padding=1)
        self.dec2 = sa_level(4 * w, 2 * w, block_size, p)
        self.up1 = nn.ConvTranspose2d(2 * w, w, 3, stride=2, padding=1, output_padding=1)
        self.dec1 = sa_level(2 * w, w, block_size, p)
        self.head = nn.Conv2d(w, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        e3 = self.enc3(self.pool(e2))
        b = self.bottleneck2(self.attention(self.bottleneck1(self.pool(e3))))
        d3 = self.dec3(torch.cat([self.up3(b), e3], dim=1))
        d2 = self.dec2(torch.cat([self.up2(d3), e2], dim=1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], dim=1))
        return self.head(d1)


# ---------------------------------------------------------------------------------------------
# Seed 002: its UNet (torchinfo: Downsample_block, bottleneck Conv/BN pairs, Upsample_block).

class Downsample_block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(cout)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(x)))
        return F.max_pool2d(y, 2), y


class Upsample_block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.transconv = nn.ConvTranspose2d(cin, cout, 4, stride=2, padding=1)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(cout)

    def forward(self, x, skip):
        x = torch.cat([self.transconv(x), skip], dim=1)
        x = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(x)))


class OCTAUNet(nn.Module):
    def __init__(self, in_chan=1, out_chan=2, base=64):
        super().__init__()
        b = base
        self.down1 = Downsample_block(in_chan, b)
        self.down2 = Downsample_block(b, 2 * b)
        self.down3 = Downsample_block(2 * b, 4 * b)
        self.down4 = Downsample_block(4 * b, 8 * b)
        self.conv1 = nn.Conv2d(8 * b, 16 * b, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16 * b)
        self.conv2 = nn.Conv2d(16 * b, 16 * b, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(16 * b)
        self.up4 = Upsample_block(16 * b, 8 * b)
        self.up3 = Upsample_block(8 * b, 4 * b)
        self.up2 = Upsample_block(4 * b, 2 * b)
        self.up1 = Upsample_block(2 * b, b)
        self.outconv = nn.Conv2d(b, out_chan, 1)

    def forward(self, x):
        x, y1 = self.down1(x)
        x, y2 = self.down2(x)
        x, y3 = self.down3(x)
        x, y4 = self.down4(x)
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        x = self.up4(x, y4)
        x = self.up3(x, y3)
        x = self.up2(x, y2)
        x = self.up1(x, y1)
        return self.outconv(x)


# ---------------------------------------------------------------------------------------------
# Seed 001: the Keras U-Net, in PyTorch layout (Keras' "same" 2x2 conv pads right and bottom).

def keras_pair(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU())


class KerasUpConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.conv = nn.Conv2d(cin, cout, 2)

    def forward(self, x):
        return F.relu(self.conv(F.pad(self.up(x), (0, 1, 0, 1))))


class KerasUNet(nn.Module):
    def __init__(self, in_channels=1, classes=1, base=64, p=0.5):
        super().__init__()
        b = base
        self.conv1 = keras_pair(in_channels, b)
        self.conv2 = keras_pair(b, 2 * b)
        self.conv3 = keras_pair(2 * b, 4 * b)
        self.conv4 = keras_pair(4 * b, 8 * b)
        self.drop4 = nn.Dropout(p)
        self.conv5 = keras_pair(8 * b, 16 * b)
        self.drop5 = nn.Dropout(p)
        self.pool = nn.MaxPool2d(2)
        self.up6, self.conv6 = KerasUpConv(16 * b, 8 * b), keras_pair(16 * b, 8 * b)
        self.up7, self.conv7 = KerasUpConv(8 * b, 4 * b), keras_pair(8 * b, 4 * b)
        self.up8, self.conv8 = KerasUpConv(4 * b, 2 * b), keras_pair(4 * b, 2 * b)
        self.up9 = KerasUpConv(2 * b, b)
        self.conv9 = nn.Sequential(nn.Conv2d(2 * b, b, 3, padding=1), nn.ReLU(), nn.Conv2d(b, b, 3, padding=1), nn.ReLU(),
                                   nn.Conv2d(b, 2, 3, padding=1), nn.ReLU())
        self.conv10 = nn.Conv2d(2, classes, 1)

    def forward(self, x):
        c1 = self.conv1(x)
        c2 = self.conv2(self.pool(c1))
        c3 = self.conv3(self.pool(c2))
        d4 = self.drop4(self.conv4(self.pool(c3)))
        d5 = self.drop5(self.conv5(self.pool(d4)))
        c6 = self.conv6(torch.cat([d4, self.up6(d5)], 1))
        c7 = self.conv7(torch.cat([c3, self.up7(c6)], 1))
        c8 = self.conv8(torch.cat([c2, self.up8(c7)], 1))
        c9 = self.conv9(torch.cat([c1, self.up9(c8)], 1))
        return torch.sigmoid(self.conv10(c9))


# ---------------------------------------------------------------------------------------------
# The command line's names for these networks (`unetlab train --data vessels --model NAME`):
# name -> (constructor from (in_channels, classes, width), output activation unetlab applies).
# "none": the network ends in a sigmoid itself.

VESSEL_NETWORKS = {
    "sa-unet": (lambda c, k, w: SAUNet(in_channels=c, width=w), "sigmoid"),
    "keras-unet": (lambda c, k, w: KerasUNet(in_channels=c, classes=k, base=w), "none"),
    "octa-unet": (lambda c, k, w: OCTAUNet(in_chan=c, out_chan=k, base=w), "sigmoid"),
    "dacrse-unet": (lambda c, k, w: DACRse_Unet(in_channel=c, base=w, out_channels=k), "none"),
}
