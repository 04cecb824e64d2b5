import UNetKit

/// Exercise: `up_add`, the UNet's `up` block with the skip connection *added* instead of
/// concatenated: up-sample x1 (bilinear ×2, align_corners=True), pad it to x2's size, then
/// `x2 + x1` and a double convolution. Because the channels are added, not stacked, the
/// double convolution takes `inChannels` = the channels of x1 (= those of x2).
/// x1 `[N, C, h, w]`, x2 `[N, C, H, W]` → `[N, outChannels, H, W]`.
///
/// Model it on `Up` (`Sources/UNetKit/Models/UNetParts.swift`). Name the layers `up` and
/// `conv` as the course does, so the weights load into its PyTorch `up_add`; end with
/// `observed(…)` as `Up` does, so the model summary lists the block.
public final class UpAdd: Module, UpBlock {
    // BEGIN SOLUTION
    public let up = UpsampleBilinear(scaleFactor: 2)
    public let conv: DoubleConv
    // END SOLUTION

    public init(_ inChannels: Int, _ outChannels: Int) {
        // BEGIN SOLUTION
        conv = DoubleConv(inChannels, outChannels)
        // END SOLUTION
    }

    /// x1 `[N, C, h, w]` (the deeper map), x2 `[N, C, H, W]` (the skip) → `[N, outChannels, H, W]`.
    public func callAsFunction(_ x1: Variable, _ x2: Variable) throws -> Variable {
        // BEGIN SOLUTION
        let upsampled = try padToSize(try up(x1), height: x2.shape[2], width: x2.shape[3])
        return observed(try conv(try x2 + upsampled))
        // END SOLUTION
        // STUB: throw ExerciseNotImplemented(exercise: "Exercise up_add", file: "Labs/UpAdd.swift",
        // STUB:                              function: "UpAdd.init and UpAdd.callAsFunction(_:_:)")
    }
}

/// Exercise: `UNet_add`, the UNet with `up_add` blocks: up1 (8b→4b), up2 (4b→2b), up3 (2b→b),
/// up4 (b→b). With b = 64: 11,809,090 parameters. Input `[N, nChannels, H, W]` → `[N, nClasses, H, W]`.
public final class UNetAdd: Module {
    public let inc: InConv
    public let down1: Down, down2: Down, down3: Down, down4: Down
    public let up1: UpAdd, up2: UpAdd, up3: UpAdd, up4: UpAdd
    public let outc: OutConv
    public let nChannels: Int

    public init(nChannels: Int = 1, nClasses: Int = 2, base b: Int = 64) {
        self.nChannels = nChannels
        inc = InConv(nChannels, b)
        down1 = Down(b, 2 * b)
        down2 = Down(2 * b, 4 * b)
        down3 = Down(4 * b, 8 * b)
        down4 = Down(8 * b, 8 * b)
        up1 = UpAdd(8 * b, 4 * b)
        up2 = UpAdd(4 * b, 2 * b)
        up3 = UpAdd(2 * b, b)
        up4 = UpAdd(b, b)
        outc = OutConv(b, nClasses)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try requireInput(x, channels: nChannels, downsamplings: 4, model: "UNet_add")
        let x1 = try inc(x)
        let x2 = try down1(x1)
        let x3 = try down2(x2)
        let x4 = try down3(x3)
        let x5 = try down4(x4)
        var y = try up1(x5, x4)
        y = try up2(y, x3)
        y = try up3(y, x2)
        y = try up4(y, x1)
        return try outc(y)
    }
}

/// The course's names for them.
public typealias up_add = UpAdd
public typealias UNet_add = UNetAdd
