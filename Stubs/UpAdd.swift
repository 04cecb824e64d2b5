import UNetKit
import SegmentationModels
import LabExercises

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
    // write your code here

    public init(_ inChannels: Int, _ outChannels: Int) {
        // write your code here
    }

    /// x1 `[N, C, h, w]` (the deeper map), x2 `[N, C, H, W]` (the skip) → `[N, outChannels, H, W]`.
    public func callAsFunction(_ x1: Variable, _ x2: Variable) throws -> Variable {
        // write your code here
        throw ExerciseNotImplemented(exercise: "Exercise up_add", file: "Labs/UpAdd.swift",
                                     function: "UpAdd.init and UpAdd.callAsFunction(_:_:)")
    }
}

/// The course's name for it. `UNet_add` is `UNet.withAddedSkips(upAdd:)` with these blocks.
public typealias up_add = UpAdd
