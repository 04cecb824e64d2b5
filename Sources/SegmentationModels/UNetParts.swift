import UNetKit

/// The UNet's building blocks, as the course's `unet_parts.py` defines them. Property names
/// are the course's, so parameter names match its PyTorch `state_dict`
/// (`inc.conv.conv.0.weight`, `down1.mpconv.1.conv.0.weight`, `up1.conv.conv.0.weight`, `outc.conv.weight`).

/// `double_conv`: (3×3 conv, padding 1 → BatchNorm → ReLU) twice.
/// `[N, inChannels, H, W]` → `[N, outChannels, H, W]`.
public final class DoubleConv: Module {
    public let conv: Sequential

    public init(_ inChannels: Int, _ outChannels: Int) {
        conv = Sequential(Conv2d(inChannels, outChannels, kernelSize: 3, padding: 1), BatchNorm2d(outChannels), ReLU(),
                          Conv2d(outChannels, outChannels, kernelSize: 3, padding: 1), BatchNorm2d(outChannels), ReLU())
    }

    public override func forward(_ x: Variable) throws -> Variable { try conv(x) }
}

/// `inconv`: the first double convolution. `[N, inChannels, H, W]` → `[N, outChannels, H, W]`.
public final class InConv: Module {
    public let conv: DoubleConv
    public init(_ inChannels: Int, _ outChannels: Int) { conv = DoubleConv(inChannels, outChannels) }
    public override func forward(_ x: Variable) throws -> Variable { try conv(x) }
}

/// `down`: 2×2 max-pooling, then a double convolution. `[N, in, H, W]` → `[N, out, H/2, W/2]`.
public final class Down: Module {
    public let mpconv: Sequential
    public init(_ inChannels: Int, _ outChannels: Int) {
        mpconv = Sequential(MaxPool2d(2), DoubleConv(inChannels, outChannels))
    }
    public override func forward(_ x: Variable) throws -> Variable { try mpconv(x) }
}

/// `up`: bilinear ×2 up-sampling (align_corners=True) of the deeper map `x1`, padded to the
/// size of the skip connection `x2` when they differ (odd sizes), then `[x2, x1]`
/// concatenated on channels and a double convolution.
/// x1 `[N, C1, h, w]`, x2 `[N, C2, H, W]` with C1 + C2 = inChannels → `[N, outChannels, H, W]`.
///
/// The course's code pads with the height difference on the width axis and vice versa; this
/// one pads each axis by its own difference (the same for square images).
public final class Up: Module, UpBlock {
    public let up = UpsampleBilinear(scaleFactor: 2)
    public let conv: DoubleConv

    public init(_ inChannels: Int, _ outChannels: Int) { conv = DoubleConv(inChannels, outChannels) }

    public func callAsFunction(_ x1: Variable, _ x2: Variable) throws -> Variable {
        let upsampled = try padToSize(try up(x1), height: x2.shape[2], width: x2.shape[3])
        return observed(try conv(try concatChannels([x2, upsampled])))
    }
}

/// `outconv`: a 1×1 convolution to the class logits. `[N, in, H, W]` → `[N, out, H, W]`.
public final class OutConv: Module {
    public let conv: Conv2d
    public init(_ inChannels: Int, _ outChannels: Int) { conv = Conv2d(inChannels, outChannels, kernelSize: 1) }
    public override func forward(_ x: Variable) throws -> Variable { try conv(x) }
}

/// A decoder block of a UNet: up-samples `x1` and merges it with the skip connection `x2`.
/// x1 `[N, C1, h, w]`, x2 `[N, C2, H, W]` → `[N, out, H, W]`. `Up` and `up_add` are two.
public protocol UpBlock: Module {
    func callAsFunction(_ x1: Variable, _ x2: Variable) throws -> Variable
}


