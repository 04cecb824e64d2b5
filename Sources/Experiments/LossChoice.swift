import UNetKit

/// How a network's output becomes per-pixel probabilities.
public enum OutputActivation: String, Sendable {
    /// σ of every channel (the course's UNet; BCE, focal, Dice, IoU).
    case sigmoid
    /// Softmax over the channels (cross-entropy).
    case softmax
    /// The output already is probabilities.
    case none

    /// Probabilities of the same shape `[N, C, H, W]`.
    public func apply(_ output: Variable) throws -> Variable {
        switch self {
        case .sigmoid: output.sigmoid()
        case .softmax: try output.softmax(dim: 1)
        case .none: output
        }
    }

    /// The foreground probability `[N, 1, H, W]`: the last channel of `apply(output)`.
    public func foreground(_ output: Tensor) throws -> Tensor {
        guard output.rank == 4, output.shape[1] >= 1 else {
            throw ShapeError("foreground probability: expected a network output [N, C, H, W], but got \(shapeString(output.shape))")
        }
        let probabilities = try apply(Variable(output)).value
        let (n, c, h, w) = (output.shape[0], output.shape[1], output.shape[2], output.shape[3])
        var scalars = [Float](repeating: 0, count: n * h * w)
        for i in 0..<n {
            let from = (i * c + c - 1) * h * w
            for p in 0..<(h * w) { scalars[i * h * w + p] = probabilities.scalars[from + p] }
        }
        return try Tensor(shape: [n, 1, h, w], scalars: scalars)
    }
}

/// `--loss`: the training loss, on the network's output `[N, C, H, W]` against targets of the
/// same shape (C = 1: the vessel map; C = 2: one-hot background/vessel).
public enum LossChoice: String, Sendable, CaseIterable {
    /// Binary cross-entropy: `binaryCrossEntropyWithLogits` on logits, `binaryCrossEntropy` on probabilities.
    case bce
    /// `sigmoidFocalLoss` (α 0.25, γ 2); logits only.
    case focal
    /// `softDiceLoss` on the probabilities (whole batch).
    case dice
    /// `softIoULoss` on the probabilities (whole batch).
    case iou
    /// `crossEntropy` over the channels (softmax); logits with at least 2 channels.
    case ce
    /// BCE + soft Dice, summed.
    case bceDice = "bce+dice"

    /// How the output becomes probabilities when trained with this loss.
    public func activation(for output: NetworkOutput) -> OutputActivation {
        switch output {
        case .probabilities: .none
        case .logits: self == .ce ? .softmax : .sigmoid
        }
    }

    /// Throws when the loss does not fit the network's output.
    public func check(output: NetworkOutput, classes: Int) throws {
        if output == .probabilities && (self == .focal || self == .ce) {
            throw ConfigurationError("--loss \(rawValue) needs logits, but the network outputs probabilities: "
                                     + "use bce, dice, iou or bce+dice")
        }
        if self == .ce && classes < 2 {
            throw ConfigurationError("--loss ce needs at least 2 output channels (softmax over classes), but got --classes \(classes)")
        }
    }

    /// The scalar loss of `output` against `target` (same shape).
    public func loss(_ output: Variable, _ target: Tensor, networkOutput: NetworkOutput) throws -> Variable {
        let logits = networkOutput == .logits
        func bce() throws -> Variable {
            logits ? try binaryCrossEntropyWithLogits(output, target)
                   : try binaryCrossEntropy(try output.flattened(), target.flattened())
        }
        func probabilities() throws -> Variable { try activation(for: networkOutput).apply(output) }
        switch self {
        case .bce: return try bce()
        case .focal: return try sigmoidFocalLoss(output, target)
        case .dice: return try softDiceLoss(try probabilities(), target)
        case .iou: return try softIoULoss(try probabilities(), target)
        case .ce: return try crossEntropy(output, target)
        case .bceDice: return try bce() + softDiceLoss(try probabilities(), target)
        }
    }
}
