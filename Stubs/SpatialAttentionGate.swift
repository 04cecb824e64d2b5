import UNetKit
import SegmentationModels
import LabExercises

/// Exercise (advanced lab): SA-UNet's spatial attention as a module. Every pixel gets a gate
/// in (0, 1) computed from what the channels say about it:
///
///     m = cat([mean over channels of x, max over channels of x])   [N, 2, H, W]   (mean first)
///     a = sigmoid(conv_k×k(m))                                      [N, 1, H, W]   (padding k/2, no bias)
///     y = x · a                                                      [N, C, H, W]   (a broadcast over C)
///
/// Its one parameter must be `conv.weight` `[1, 2, k, k]` (a `Conv2d(2, 1, kernelSize: k,
/// padding: k / 2, bias: false)` stored as `conv`), so PyTorch's weights load into it.
/// UNetKit's own version is `SpatialAttention`; write this one from the ops
/// (`meanOverChannels`, `maxOverChannels`, `concatChannels`, `sigmoid()`, `*`).
public final class SpatialAttentionGate: Module {
    // write your code here

    /// kernelSize: odd (7 in SA-UNet).
    public init(kernelSize: Int = 7) {
        // write your code here
    }

    /// x `[N, C, H, W]` → x · a, `[N, C, H, W]`.
    public override func forward(_ input: Variable) throws -> Variable {
        // write your code here
        throw ExerciseNotImplemented(exercise: "Advanced: SpatialAttention", file: "Labs/SpatialAttentionGate.swift",
                                     function: "SpatialAttentionGate.init and forward(_:)")
    }
}
