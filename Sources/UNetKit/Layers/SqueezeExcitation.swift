/// Squeeze-and-excitation (Hu et al., 2018): one gate per channel, computed from the channel
/// means by a two-layer bottleneck.
///
///     s = avgPool(x)                              [N, C, 1, 1] → viewed as [N, C]
///     e = sigmoid(W₂ · relu(W₁ · s))              W₁ [C/r, C], W₂ [C, C/r], no biases
///     y = x · e                                   e viewed as [N, C, 1, 1], broadcast over the pixels
///
/// Parameters `fc.0.weight` and `fc.2.weight`, as in the common PyTorch block with
/// `self.avg_pool = nn.AdaptiveAvgPool2d(1)` and `self.fc = nn.Sequential(nn.Linear(C, C // r,
/// bias=False), nn.ReLU(), nn.Linear(C // r, C, bias=False), nn.Sigmoid())`.
///
/// C/r is integer division, so it is 0 when C < r (r = 16 by default). PyTorch then builds
/// `Linear(C, 0)` and `Linear(0, C)` (weights `[0, C]` and `[C, 0]`, no elements), the
/// bottleneck carries nothing, and every gate is sigmoid(0) = 0.5: the block halves its input.
/// This block does the same, so such a state_dict loads and runs as in PyTorch. A reduction
/// below 1 or a channel count below 1 is an error (`forward` throws a `ShapeError`).
public final class SqueezeExcitation: Module {
    public let avgPool: AdaptiveAvgPool2d
    public let fc: Sequential
    public let channels: Int
    public let reduction: Int

    public init(_ channels: Int, reduction: Int = 16) {
        self.channels = channels
        self.reduction = reduction
        let hidden = reduction > 0 ? channels / reduction : 0
        avgPool = AdaptiveAvgPool2d(1)
        fc = Sequential(Linear(channels, hidden, bias: false), ReLU(), Linear(hidden, channels, bias: false), Sigmoid())
    }

    /// The channel gates e `[N, C, 1, 1]`, values in (0, 1).
    public func channelWeights(_ input: Variable) throws -> Variable {
        guard reduction >= 1, channels >= 1 else {
            throw ShapeError("SqueezeExcitation(\(channels), reduction: \(reduction)) needs channels ≥ 1 and "
                             + "reduction ≥ 1")
        }
        try requireRank(input.value, 4, "input of SqueezeExcitation", "N×C×H×W")
        guard input.shape[1] == channels else {
            throw ShapeError("SqueezeExcitation(\(channels)) expected input with \(channels) channels, but got "
                             + "input of shape \(shapeString(input.shape))")
        }
        let n = input.shape[0]
        let squeezed = try avgPool(input).reshaped([n, channels])
        return try fc(squeezed).reshaped([n, channels, 1, 1])
    }

    public override func forward(_ input: Variable) throws -> Variable {
        try input * channelWeights(input)
    }
}
