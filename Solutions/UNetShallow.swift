import UNetKit
import SegmentationModels
import LabExercises

/// Exercise (question 6): `UNet_shallow`, a UNet with only two down-samplings (three levels).
///
/// The course's answer, with base b = 64 (851,266 parameters for 1 channel and 2 classes):
///
///     inc   1→b        x1 [N, b,  H,   W  ]
///     down1 b→2b       x2 [N, 2b, H/2, W/2]
///     down2 2b→2b      x3 [N, 2b, H/4, W/4]
///     up1 (x3, x2) 4b→b,  up2 (·, x1) 2b→b,  outc b→nClasses
///
/// Build it from the UNet's parts (`InConv`, `Down`, `Up`, `OutConv`, see
/// `Sources/UNetKit/Models/UNetParts.swift` and `UNet.swift`): declare the layers as stored
/// properties, create them in `init`, chain them in `forward`. Other widths are valid answers
/// too; with the course's names (`inc`, `down1`, …) the weights load into the course's PyTorch
/// `UNet_shallow`.
///
/// Input `[N, nChannels, H, W]`, H and W at least 4 → logits `[N, nClasses, H, W]`.
public final class UNetShallow: Module {
    // BEGIN SOLUTION
    public let inc: InConv
    public let down1: Down, down2: Down
    public let up1: Up, up2: Up
    public let outc: OutConv
    // END SOLUTION
    public let nChannels: Int

    public init(nChannels: Int = 1, nClasses: Int = 2, base b: Int = 64) {
        self.nChannels = nChannels
        // BEGIN SOLUTION
        inc = InConv(nChannels, b)
        down1 = Down(b, 2 * b)
        down2 = Down(2 * b, 2 * b)
        up1 = Up(4 * b, b)
        up2 = Up(2 * b, b)
        outc = OutConv(b, nClasses)
        // END SOLUTION
    }

    /// x `[N, nChannels, H, W]` → logits `[N, nClasses, H, W]`.
    public override func forward(_ x: Variable) throws -> Variable {
        try requireInput(x, channels: nChannels, downsamplings: 2, model: "UNet_shallow")
        // BEGIN SOLUTION
        let x1 = try inc(x)
        let x2 = try down1(x1)
        let x3 = try down2(x2)
        let y = try up1(x3, x2)
        return try outc(try up2(y, x1))
        // END SOLUTION
        // STUB: throw ExerciseNotImplemented(exercise: "Question 6: UNet_shallow", file: "Labs/UNetShallow.swift",
        // STUB:                              function: "UNetShallow.init and UNetShallow.forward(_:)")
    }
}

/// The course's name for it.
public typealias UNet_shallow = UNetShallow
