import UNetKit

/// Seed 003's DACRSE-UNet (`DACRse_Unet`), reproduced as its PyTorch code prints it — quirks
/// included — so its state_dict crosses to that code unchanged (`rse1.start.0.weight`,
/// `dac.four.2.weight`, `Deconv_3.weight`, `drse1.se.fc.0.weight`, `Last.0.bias`, …).
///
///     rse1   Rse(in → b)          x1  [N, b,  H,   W  ]   then pool (2×2 max)
///     rse2   Rse(b → 2b)          x2  [N, 2b, H/2, W/2]   then pool
///     rse3   Rse(2b → 4b)         x3  [N, 4b, H/4, W/4]   then pool
///     dac    DAC_Block(4b, 4b, 8b)    [N, 8b, H/8, W/8]
///     Deconv_3 (8b → 4b, k2 s2), drse3 Rse(4b → 4b)       [N, 4b, H/4, W/4]
///     Deconv_2 (4b → 2b, k2 s2), drse2 Rse(2b → 2b)       [N, 2b, H/2, W/2]
///     Deconv_1 (2b → b,  k2 s2), drse1 Rse(b → b)         [N, b,  H,   W  ]
///     Last   Conv 1×1 (b → 3) + Sigmoid                   [N, 3,  H,   W  ]
///
/// b = `base`, 64 in the seed (7,341,915 parameters for 1 input channel). `outChannels` is the
/// seed's 3 unless given: binary vessel labels use a 1-output head (`outChannels: 1`, the
/// convention of `unetlab --model dacrse-unet` and the advanced lab), which changes only the
/// shape of `Last.0` (`[1, b, 1, 1]` instead of `[3, b, 1, 1]`).
///
/// Quirks of the printed code, reproduced on purpose:
/// - **No skip connections**: although drawn as a U-Net, the decoder only sees the DAC output;
///   the encoder's x1, x2, x3 are not concatenated or added anywhere.
/// - **`Last` outputs 3 channels of probabilities** (a sigmoid is part of the network), even for
///   a one-class vessel mask: train it with binary cross-entropy on probabilities, not on logits.
/// - Inside each `Rse` (see `Rse`): the squeeze-and-excitation gates multiply the features twice,
///   and with fewer than 16 channels (`rse1` with 1 or 3 input channels, `drse1` when b < 16)
///   the SE bottleneck has 0 units, so every gate is 0.5.
/// - Inside `dac` (see `DACBlock`): the 1×1 convolution with dilation 3 in branch `three`.
///
/// Input `[N, inChannels, H, W]` with H and W multiples of 8, and H/4, W/4 at least the
/// DropBlock size (9): at least 40×40. Outputs `[N, outChannels, H, W]` in (0, 1).
public final class DACRseUNet: Module {
    public let rse1: Rse, rse2: Rse, rse3: Rse
    public let pool = MaxPool2d(2)
    public let dac: DACBlock
    public let deconv3: ConvTranspose2d, deconv2: ConvTranspose2d, deconv1: ConvTranspose2d
    public let drse3: Rse, drse2: Rse, drse1: Rse
    /// `Last`: 1×1 convolution to 3 channels, then a sigmoid.
    public let last: Sequential
    public let inChannels: Int
    public let base: Int

    /// The seed's class names, for `torchSummary(_:inputSize:classNames:)`.
    public static let pytorchClassNames = ["SqueezeExcitation": "SE_Block", "DACBlock": "DAC_Block"]

    /// - Parameters:
    ///   - inChannels: the seed's `in_channel` (1 for grey, 3 for colour fundus images).
    ///   - base: the first width (the seed's 64); every width scales with it.
    ///   - dropBlockP: drop probability of every `DropBlock2d` (the seed's 0.5).
    ///   - dropBlockSize: their block size (the seed's 3·3 = 9).
    ///   - outChannels: sigmoid outputs of `Last` (the seed's 3; 1 for a binary vessel map).
    public init(inChannels: Int, base b: Int = 64, dropBlockP: Double = 0.5, dropBlockSize: Int = 9,
                outChannels: Int = 3) {
        self.inChannels = inChannels
        self.base = b
        func rse(_ cin: Int, _ cout: Int) -> Rse { Rse(cin, cout, dropBlockP: dropBlockP, dropBlockSize: dropBlockSize) }
        rse1 = rse(inChannels, b)
        rse2 = rse(b, 2 * b)
        rse3 = rse(2 * b, 4 * b)
        dac = DACBlock(4 * b, midChannels: 4 * b, outChannels: 8 * b)
        deconv3 = ConvTranspose2d(8 * b, 4 * b, kernelSize: 2, stride: 2)
        deconv2 = ConvTranspose2d(4 * b, 2 * b, kernelSize: 2, stride: 2)
        deconv1 = ConvTranspose2d(2 * b, b, kernelSize: 2, stride: 2)
        drse3 = rse(4 * b, 4 * b)
        drse2 = rse(2 * b, 2 * b)
        drse1 = rse(b, b)
        last = Sequential(Conv2d(b, outChannels, kernelSize: 1), Sigmoid())
    }

    /// The seed's names (`Deconv_3`, `Last` are not snake_case), in its registration order.
    public override var namedChildren: [(String, Module)] {
        [("rse1", rse1), ("rse2", rse2), ("rse3", rse3), ("pool", pool), ("dac", dac),
         ("Deconv_3", deconv3), ("Deconv_2", deconv2), ("Deconv_1", deconv1),
         ("drse3", drse3), ("drse2", drse2), ("drse1", drse1), ("Last", last)]
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try requireInput(x, channels: inChannels, downsamplings: 3, model: "DACRse_Unet")
        let blockSize = rse1.dropBlocks.map(\.blockSize).max() ?? 1
        for axis in [2, 3] {
            guard x.shape[axis] % 8 == 0, x.shape[axis] / 4 >= blockSize else {
                throw ShapeError("DACRse_Unet halves the image 3 times and runs DropBlock (block \(blockSize)) at "
                                 + "1/4 size, so it needs H and W that are multiples of 8 and at least "
                                 + "\(((4 * blockSize + 7) / 8) * 8), but got input\(shapeString(x.shape))")
            }
        }
        let x1 = try rse1(x)
        let x2 = try rse2(pool(x1))
        let x3 = try rse3(pool(x2))
        let bottom = try dac(pool(x3))
        let rx3 = try drse3(deconv3(bottom))
        let rx2 = try drse2(deconv2(rx3))
        let rx1 = try drse1(deconv1(rx2))
        return try last(rx1)
    }
}

/// The seed's class name.
public typealias DACRse_Unet = DACRseUNet

/// Seed 003's residual squeeze-and-excitation block (`Rse`).
///
///     input  = start(x)           start: BN → ReLU → Conv 3×3 → DropBlock → BN → ReLU → Conv 3×3 → DropBlock
///     SE_    = se(input)          = input · e, e the SE gates [N, C, 1, 1]
///     SE_out = SE_ · input        = input² · e
///     out    = out(x + SE_out)    1×1 conv C → outChannels
///
/// `[N, C, H, W]` → `[N, outChannels, H, W]`; C = `inChannels` throughout `start` and `se`.
///
/// Quirks of the printed code, reproduced on purpose:
/// - `se` already returns the input scaled by its gates, and the code multiplies by the input
///   once more: the residual branch is input² · e, not input · e.
/// - `se` is `SE_Block(C)` with reduction 16: for C < 16 its bottleneck has C // 16 = 0 units
///   (weights `[0, C]` and `[C, 0]`), so every gate is sigmoid(0) = 0.5.
/// - DropBlock with p 0.5 and block 9 after each convolution (the seed's own `DropBlock2d`
///   draws seeds and blocks as torchvision's `drop_block2d`; identity in evaluation).
public final class Rse: Module {
    /// `start`: BatchNorm2d, ReLU, Conv2d, DropBlock2d, BatchNorm2d, ReLU, Conv2d, DropBlock2d.
    public let start: Sequential
    public let se: SqueezeExcitation
    public let out: Conv2d

    public init(_ inChannels: Int, _ outChannels: Int, dropBlockP: Double = 0.5, dropBlockSize: Int = 9) {
        let c = inChannels
        start = Sequential(BatchNorm2d(c), ReLU(), Conv2d(c, c, kernelSize: 3, padding: 1),
                           DropBlock2d(p: dropBlockP, blockSize: dropBlockSize),
                           BatchNorm2d(c), ReLU(), Conv2d(c, c, kernelSize: 3, padding: 1),
                           DropBlock2d(p: dropBlockP, blockSize: dropBlockSize))
        se = SqueezeExcitation(c, reduction: 16)
        out = Conv2d(c, outChannels, kernelSize: 1)
    }

    /// The two DropBlock layers of `start`.
    public var dropBlocks: [DropBlock2d] { start.layers.compactMap { $0 as? DropBlock2d } }

    public override func forward(_ x: Variable) throws -> Variable {
        let input = try start(x)
        let seScaled = try se(input)
        let seOut = try seScaled * input
        return try out(try x + seOut)
    }
}

/// Seed 003's dense atrous convolution block (`DAC_Block`): the sum of four branches.
///
///     one    Conv 3×3                                                     in → out
///     two    Conv 3×3 dilation 3 → Conv 1×1                               in → mid → out
///     three  Conv 3×3 → Conv 1×1 "dilation 3" → Conv 1×1                  in → mid → mid → out
///     four   Conv 3×3 → Conv 3×3 dilation 3 → Conv 3×3 dilation 5 → Conv 1×1
///
/// `[N, in, H, W]` → `[N, out, H, W]` (paddings equal the dilations of the 3×3 kernels).
///
/// Quirks of the printed code, reproduced on purpose: the 1×1 convolution of branch `three`
/// has dilation 3, which changes nothing (a 1×1 kernel has a single tap); there is no ReLU in
/// any branch, no shared weights and no residual input — unlike CE-Net's DAC block.
public final class DACBlock: Module {
    public let one: Conv2d
    public let two: Sequential
    public let three: Sequential
    public let four: Sequential

    public init(_ inChannels: Int, midChannels: Int, outChannels: Int) {
        let (i, m, o) = (inChannels, midChannels, outChannels)
        one = Conv2d(i, o, kernelSize: 3, padding: 1)
        two = Sequential(Conv2d(i, m, kernelSize: 3, padding: 3, dilation: 3), Conv2d(m, o, kernelSize: 1))
        three = Sequential(Conv2d(i, m, kernelSize: 3, padding: 1), Conv2d(m, m, kernelSize: 1, dilation: 3),
                           Conv2d(m, o, kernelSize: 1))
        four = Sequential(Conv2d(i, m, kernelSize: 3, padding: 1), Conv2d(m, m, kernelSize: 3, padding: 3, dilation: 3),
                          Conv2d(m, m, kernelSize: 3, padding: 5, dilation: 5), Conv2d(m, o, kernelSize: 1))
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try one(x) + two(x) + three(x) + four(x)
    }
}

/// The seed's class name.
public typealias DAC_Block = DACBlock
