import UNetKit

/// Seed 002's UNet, as its printed torchinfo table describes it: four down blocks, a 1024-wide
/// bottleneck, four up blocks with 4×4 transposed convolutions, a 1×1 convolution to the class
/// logits. 39,398,274 parameters for 1 input channel and 2 classes.
///
///     down1 (in → b), down2 (b → 2b), down3 (2b → 4b), down4 (4b → 8b)   skips y1…y4, then 2×2 max-pool
///     conv1, bn1, conv2, bn2: (Conv 3×3 → BN → ReLU) ×2, 8b → 16b              [N, 16b, H/16, W/16]
///     up4 (16b → 8b), up3 (8b → 4b), up2 (4b → 2b), up1 (2b → b)                [N, b, H, W]
///     outconv  Conv 1×1 b → classes                                           logits [N, classes, H, W]
///
/// b = `base` (the seed's 64). The table lists no ReLU modules: the activations are functional
/// (`F.relu` after each BatchNorm), so they have no row and no parameters. Module names are
/// chosen here (the table shows only types): `down1.conv1.weight`, `up4.transconv.weight`, ….
///
/// Input `[N, inChannels, H, W]` with H and W multiples of 16 (the seed's patches are 64×64).
public final class OCTAUNet: Module {
    public let down1: OCTADownBlock, down2: OCTADownBlock, down3: OCTADownBlock, down4: OCTADownBlock
    public let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d
    public let up4: OCTAUpBlock, up3: OCTAUpBlock, up2: OCTAUpBlock, up1: OCTAUpBlock
    public let outconv: Conv2d
    public let inChannels: Int
    public let classes: Int

    /// The seed's class names, for `torchSummary(_:inputSize:classNames:)`: with them and
    /// input `[1, 64, 64]` the summary is the seed's printed table.
    public static let pytorchClassNames = ["OCTADownBlock": "Downsample_block", "OCTAUpBlock": "Upsample_block"]

    public init(inChannels: Int = 1, classes: Int = 2, base b: Int = 64) {
        self.inChannels = inChannels
        self.classes = classes
        down1 = OCTADownBlock(inChannels, b)
        down2 = OCTADownBlock(b, 2 * b)
        down3 = OCTADownBlock(2 * b, 4 * b)
        down4 = OCTADownBlock(4 * b, 8 * b)
        conv1 = Conv2d(8 * b, 16 * b, kernelSize: 3, padding: 1)
        bn1 = BatchNorm2d(16 * b)
        conv2 = Conv2d(16 * b, 16 * b, kernelSize: 3, padding: 1)
        bn2 = BatchNorm2d(16 * b)
        up4 = OCTAUpBlock(16 * b, 8 * b)
        up3 = OCTAUpBlock(8 * b, 4 * b)
        up2 = OCTAUpBlock(4 * b, 2 * b)
        up1 = OCTAUpBlock(2 * b, b)
        outconv = Conv2d(b, classes, kernelSize: 1)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try requireInput(x, channels: inChannels, downsamplings: 4, model: "OCTAUNet (seed 002's UNet)")
        guard x.shape[2] % 16 == 0, x.shape[3] % 16 == 0 else {
            throw ShapeError("OCTAUNet (seed 002's UNet) halves the image 4 times and concatenates the skips, so it "
                             + "needs H and W that are multiples of 16, but got input\(shapeString(x.shape))")
        }
        let (p1, y1) = try down1.pooledAndSkip(x)
        let (p2, y2) = try down2.pooledAndSkip(p1)
        let (p3, y3) = try down3.pooledAndSkip(p2)
        let (p4, y4) = try down4.pooledAndSkip(p3)
        var h = try convBatchNormReLU(p4, conv1, bn1)
        h = try convBatchNormReLU(h, conv2, bn2)
        h = try up4(h, y4)
        h = try up3(h, y3)
        h = try up2(h, y2)
        h = try up1(h, y1)
        return try outconv(h)
    }
}

/// Seed 002's `Downsample_block`: (Conv 3×3 → BN → ReLU) ×2, giving the skip y `[N, out, H, W]`,
/// then a 2×2 max-pool `[N, out, H/2, W/2]` (the block's own output in the table).
public final class OCTADownBlock: Module {
    public let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d

    public init(_ inChannels: Int, _ outChannels: Int) {
        conv1 = Conv2d(inChannels, outChannels, kernelSize: 3, padding: 1)
        bn1 = BatchNorm2d(outChannels)
        conv2 = Conv2d(outChannels, outChannels, kernelSize: 3, padding: 1)
        bn2 = BatchNorm2d(outChannels)
    }

    /// (pooled, skip).
    public func pooledAndSkip(_ x: Variable) throws -> (Variable, Variable) {
        let h = try convBatchNormReLU(x, conv1, bn1)
        let y = try convBatchNormReLU(h, conv2, bn2)
        return (observed(try maxPool2d(y, kernelSize: 2)), y)
    }

    public override func forward(_ x: Variable) throws -> Variable { try pooledAndSkip(x).0 }
}

/// Seed 002's `Upsample_block`: ConvTranspose2d k4 s2 p1 (in → out, exactly ×2), concatenated
/// with the skip as [up, skip] (out + out = in channels), then (Conv 3×3 → BN → ReLU) ×2.
/// x `[N, in, h, w]`, skip `[N, out, 2h, 2w]` → `[N, out, 2h, 2w]`.
public final class OCTAUpBlock: Module {
    public let transconv: ConvTranspose2d
    public let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d

    public init(_ inChannels: Int, _ outChannels: Int) {
        transconv = ConvTranspose2d(inChannels, outChannels, kernelSize: 4, stride: 2, padding: 1)
        conv1 = Conv2d(inChannels, outChannels, kernelSize: 3, padding: 1)
        bn1 = BatchNorm2d(outChannels)
        conv2 = Conv2d(outChannels, outChannels, kernelSize: 3, padding: 1)
        bn2 = BatchNorm2d(outChannels)
    }

    public func callAsFunction(_ x: Variable, _ skip: Variable) throws -> Variable {
        let h = try convBatchNormReLU(concatChannels([transconv(x), skip]), conv1, bn1)
        return observed(try convBatchNormReLU(h, conv2, bn2))
    }
}
