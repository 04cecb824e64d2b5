import UNetKit

/// The course's UNet (`unet_model.py`): four down-samplings, four up-samplings with skip
/// connections, 13,394,242 parameters for 1 input channel and 2 classes.
///
///     inc   1→64      x1 [N,  64, H,    W   ]
///     down1 64→128    x2 [N, 128, H/2,  W/2 ]
///     down2 128→256   x3 [N, 256, H/4,  W/4 ]
///     down3 256→512   x4 [N, 512, H/8,  W/8 ]
///     down4 512→512   x5 [N, 512, H/16, W/16]
///     up1 (x5, x4) 1024→256,  up2 (·, x3) 512→128,  up3 (·, x2) 256→64,  up4 (·, x1) 128→64
///     outc 64→nClasses         logits [N, nClasses, H, W]
///
/// Input `[N, nChannels, H, W]`, H and W at least 16 (powers of two avoid padding).
/// `base` scales every width (the course's is 64: 64, 128, 256, 512, 512); small bases make
/// small networks for tests.
public final class UNet: Module {
    public let inc: InConv
    public let down1: Down, down2: Down, down3: Down, down4: Down
    /// The decoder blocks: `Up` (concatenated skips) in the course's UNet, `up_add` in UNet_add.
    public let up1: any UpBlock, up2: any UpBlock, up3: any UpBlock, up4: any UpBlock
    public let outc: OutConv
    public let nChannels: Int
    public let nClasses: Int
    /// The course's name of this network, for error messages: "UNet" or "UNet_add".
    public let courseName: String

    /// The course's UNet: decoder blocks `Up` (1024→256), (512→128), (256→64), (128→64) at base 64.
    public convenience init(nChannels: Int = 1, nClasses: Int = 2, base b: Int = 64) {
        self.init(nChannels: nChannels, nClasses: nClasses, base: b, courseName: "UNet",
                  upBlocks: [Up(16 * b, 4 * b), Up(8 * b, 2 * b), Up(4 * b, b), Up(2 * b, b)])
    }

    /// The same encoder with other decoder blocks: `upBlocks` are up1…up4, taking the deeper map
    /// (8b, 4b, 2b, b channels for `up_add`; 16b, 8b, 4b, 2b after concatenation for `Up`).
    public init(nChannels: Int, nClasses: Int, base b: Int, courseName: String, upBlocks: [any UpBlock]) {
        precondition(upBlocks.count == 4, "a UNet has four decoder blocks, got \(upBlocks.count)")
        self.nChannels = nChannels
        self.nClasses = nClasses
        self.courseName = courseName
        inc = InConv(nChannels, b)
        down1 = Down(b, 2 * b)
        down2 = Down(2 * b, 4 * b)
        down3 = Down(4 * b, 8 * b)
        down4 = Down(8 * b, 8 * b)
        (up1, up2, up3, up4) = (upBlocks[0], upBlocks[1], upBlocks[2], upBlocks[3])
        outc = OutConv(b, nClasses)
    }

    /// The course's UNet_add: the skip connections are added, so each decoder block takes half
    /// the channels: `upAdd` (512→256), (256→128), (128→64), (64→64) at base 64 — 11,809,090 parameters.
    public static func withAddedSkips(nChannels: Int = 1, nClasses: Int = 2, base b: Int = 64,
                                      upAdd: (Int, Int) -> any UpBlock) -> UNet {
        UNet(nChannels: nChannels, nClasses: nClasses, base: b, courseName: "UNet_add",
             upBlocks: [upAdd(8 * b, 4 * b), upAdd(4 * b, 2 * b), upAdd(2 * b, b), upAdd(b, b)])
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try requireInput(x, channels: nChannels, downsamplings: 4, model: courseName)
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

/// Checks a network input `[N, channels, H, W]` that is down-sampled `downsamplings` times.
public func requireInput(_ x: Variable, channels: Int, downsamplings: Int, model: String) throws {
    try requireRank(x.value, 4, "input", "N×C×H×W")
    guard x.shape[1] == channels else {
        throw ShapeError("\(model) expected input\(shapeString(x.shape)) to have \(channels) channels, "
                         + "but got \(x.shape[1]) channels instead")
    }
    let minimum = 1 << downsamplings
    guard x.shape[2] >= minimum, x.shape[3] >= minimum else {
        throw ShapeError("\(model) halves the image \(downsamplings) times, so it needs H and W of at least "
                         + "\(minimum), but got input\(shapeString(x.shape))")
    }
}
