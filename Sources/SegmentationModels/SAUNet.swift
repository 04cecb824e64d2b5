import UNetKit

/// SA-UNet (Guo et al., 2021; seed 000): a small U-Net with DropBlock in every convolution unit
/// and one spatial-attention block in the bottleneck, as the authors' Keras code builds it.
///
///     enc1  2 units in → w        e1 [N, w,  H,   W  ]   then pool (2×2 max)
///     enc2  2 units w → 2w        e2 [N, 2w, H/2, W/2]   then pool
///     enc3  2 units 2w → 4w       e3 [N, 4w, H/4, W/4]   then pool
///     bottleneck1 unit 4w → 8w, attention (SpatialAttention 7×7), bottleneck2 unit 8w → 8w
///     up3 ConvTranspose2d 8w → 4w, cat [up, e3], dec3 2 units 8w → 4w      [N, 4w, H/4, W/4]
///     up2 ConvTranspose2d 4w → 2w, cat [up, e2], dec2 2 units 4w → 2w      [N, 2w, H/2, W/2]
///     up1 ConvTranspose2d 2w → w,  cat [up, e1], dec1 2 units 2w → w       [N, w,  H,   W  ]
///     head Conv 1×1 w → 1                                                   logits [N, 1, H, W]
///
/// A unit (`SAUnit`) is Conv 3×3 (bias) → DropBlock → BatchNorm → ReLU. The up-sampling is
/// Keras' `Conv2DTranspose(k=3, strides=2, padding="same")`, which is PyTorch's
/// `ConvTranspose2d(k=3, stride=2, padding=1, output_padding=1)`: exactly ×2.
/// w = `width` (the authors' 16: 537,011 parameters for 1 input channel). The output is logits:
/// the sigmoid belongs to the loss (BCE with logits) or to prediction.
/// DropBlock: the authors' DRIVE settings are block 7 and keep_prob 0.82, i.e. p = 0.18.
///
/// Input `[N, inChannels, H, W]` with H and W multiples of 8, and H/8 at least the block size.
public final class SAUNet: Module {
    public let enc1: Sequential, enc2: Sequential, enc3: Sequential
    public let pool = MaxPool2d(2)
    public let bottleneck1: SAUnit
    public let attention: SpatialAttention
    public let bottleneck2: SAUnit
    public let up3: ConvTranspose2d, dec3: Sequential
    public let up2: ConvTranspose2d, dec2: Sequential
    public let up1: ConvTranspose2d, dec1: Sequential
    public let head: Conv2d
    public let inChannels: Int
    public let width: Int
    public let blockSize: Int

    public init(inChannels: Int = 3, width w: Int = 16, blockSize: Int = 7, dropBlockP: Double = 0.18) {
        self.inChannels = inChannels
        self.width = w
        self.blockSize = blockSize
        func unit(_ cin: Int, _ cout: Int) -> SAUnit { SAUnit(cin, cout, blockSize: blockSize, p: dropBlockP) }
        func level(_ cin: Int, _ cout: Int) -> Sequential { Sequential(unit(cin, cout), unit(cout, cout)) }
        func upsample(_ cin: Int, _ cout: Int) -> ConvTranspose2d {
            ConvTranspose2d(cin, cout, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1)
        }
        enc1 = level(inChannels, w)
        enc2 = level(w, 2 * w)
        enc3 = level(2 * w, 4 * w)
        bottleneck1 = unit(4 * w, 8 * w)
        attention = SpatialAttention(kernelSize: 7)
        bottleneck2 = unit(8 * w, 8 * w)
        up3 = upsample(8 * w, 4 * w)
        dec3 = level(8 * w, 4 * w)
        up2 = upsample(4 * w, 2 * w)
        dec2 = level(4 * w, 2 * w)
        up1 = upsample(2 * w, w)
        dec1 = level(2 * w, w)
        head = Conv2d(w, 1, kernelSize: 1)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try requireInput(x, channels: inChannels, downsamplings: 3, model: "SA-UNet")
        for axis in [2, 3] {
            guard x.shape[axis] % 8 == 0, x.shape[axis] / 8 >= blockSize else {
                throw ShapeError("SA-UNet halves the image 3 times and runs DropBlock (block \(blockSize)) at "
                                 + "1/8 size, so it needs H and W that are multiples of 8 and at least "
                                 + "\(8 * blockSize), but got input\(shapeString(x.shape))")
            }
        }
        let e1 = try enc1(x)
        let e2 = try enc2(pool(e1))
        let e3 = try enc3(pool(e2))
        let b = try bottleneck2(attention(bottleneck1(pool(e3))))
        let d3 = try dec3(concatChannels([up3(b), e3]))
        let d2 = try dec2(concatChannels([up2(d3), e2]))
        let d1 = try dec1(concatChannels([up1(d2), e1]))
        return try head(d1)
    }
}

/// SA-UNet's convolution unit: Conv 3×3 (padding 1, bias) → DropBlock → BatchNorm → ReLU.
/// `[N, in, H, W]` → `[N, out, H, W]`. Parameters `conv.weight`, `conv.bias`, `bn.*`.
public final class SAUnit: Module {
    public let conv: Conv2d
    public let dropBlock: DropBlock2d
    public let bn: BatchNorm2d

    public init(_ inChannels: Int, _ outChannels: Int, blockSize: Int = 7, p: Double = 0.18) {
        conv = Conv2d(inChannels, outChannels, kernelSize: 3, padding: 1)
        dropBlock = DropBlock2d(p: p, blockSize: blockSize)
        bn = BatchNorm2d(outChannels)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        // Training: batch norm and ReLU as one op after DropBlock; evaluation: one op for all (DropBlock is the identity).
        try convBatchNormReLU(x, conv, bn, between: dropBlock)
    }
}
