/// Overlap metrics of the course's `dice_loss.py` and `eval.py`.
///
///     Dice(a, b) = (2·Σ a·b + ε) / (Σ a + Σ b + ε),   ε = 1e-4
///
/// a and b are masks (0/1, or probabilities) of the same shape; two empty masks score 1.

/// `DiceCoeff` of the course: Dice of two tensors of the same shape, over all their elements.
public func diceCoeff(_ input: Tensor, _ target: Tensor, epsilon: Float = 1e-4) throws -> Float {
    guard input.shape == target.shape else {
        throw ShapeError("dice_coeff: expected input and target of the same shape, but got "
                         + "\(shapeString(input.shape)) and \(shapeString(target.shape))")
    }
    var intersection = 0.0, sumA = 0.0, sumB = 0.0
    for i in 0..<input.count {
        let (a, b) = (Double(input.scalars[i]), Double(target.scalars[i]))
        intersection += a * b
        sumA += a
        sumB += b
    }
    return Float((2 * intersection + Double(epsilon)) / (sumA + sumB + Double(epsilon)))
}

/// Where to take the Dice score of a `[C, H, W]` prediction.
public enum DiceChannels: Sendable {
    /// Only the object classes (channels 1…C−1), averaged — what this kit reports, because the
    /// background channel is the complement of the foreground and inflates the score.
    case foreground
    /// Every channel, background included, averaged — what the course's `eval_net` computes.
    case allChannels
}

/// Dice of one image's `[C, H, W]` binary prediction against its one-hot `[C, H, W]` label,
/// averaged over the chosen channels.
public func imageDice(_ prediction: Tensor, _ label: Tensor, channels: DiceChannels = .foreground) throws -> Float {
    try requireRank(prediction, 3, "prediction", "C×H×W")
    guard prediction.shape == label.shape else {
        throw ShapeError("expected a label of shape \(shapeString(prediction.shape)), but got \(shapeString(label.shape))")
    }
    let c = prediction.shape[0]
    let range = channels == .foreground && c > 1 ? 1..<c : 0..<c
    let plane = prediction.shape[1] * prediction.shape[2]
    var total: Float = 0
    for k in range {
        let slice = (k * plane)..<((k + 1) * plane)
        total += try diceCoeff(Tensor(unchecked: [plane], Array(prediction.scalars[slice])),
                               Tensor(unchecked: [plane], Array(label.scalars[slice])))
    }
    return total / Float(range.count)
}
