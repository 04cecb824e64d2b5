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
    // write your code here
    public let nChannels: Int

    public init(nChannels: Int = 1, nClasses: Int = 2, base b: Int = 64) {
        self.nChannels = nChannels
        // write your code here
    }

    /// x `[N, nChannels, H, W]` → logits `[N, nClasses, H, W]`.
    public override func forward(_ x: Variable) throws -> Variable {
        try requireInput(x, channels: nChannels, downsamplings: 2, model: "UNet_shallow")
        // write your code here
        throw ExerciseNotImplemented(exercise: "Question 6: UNet_shallow", file: "Labs/UNetShallow.swift",
                                     function: "UNetShallow.init and UNetShallow.forward(_:)")
    }
}

/// The course's name for it.
public typealias UNet_shallow = UNetShallow
