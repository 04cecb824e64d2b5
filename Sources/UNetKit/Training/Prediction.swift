/// Prediction as in the course: evaluation mode, no gradients, sigmoid of the logits, and a
/// 0.5 threshold for the binary mask.

/// Per-class probabilities `[N, C, H, W]` for images `[N, nChannels, H, W]`. The model is put in
/// evaluation mode for the forward pass and returned to the mode it was in.
public func predictProbabilities(_ model: Module, images: Tensor) throws -> Tensor {
    let wasTraining = model.isTraining
    model.eval()
    defer { model.train(wasTraining) }
    return try withoutGradients { try model(Variable(images)).sigmoid().value }
}

/// The binary mask: 1 where the probability is above `threshold`, else 0.
public func threshold(_ probabilities: Tensor, at threshold: Float = 0.5) -> Tensor {
    Tensor(unchecked: probabilities.shape, probabilities.scalars.map { $0 > threshold ? 1 : 0 })
}

/// One image `[C, H, W]` of a batch `[N, C, H, W]`.
public func sample(_ index: Int, of batch: Tensor) throws -> Tensor {
    try requireRank(batch, 4, "batch", "N×C×H×W")
    guard index >= 0 && index < batch.shape[0] else {
        throw ShapeError("sample \(index) is out of range for a batch of \(batch.shape[0])")
    }
    let size = batch.shape[1] * batch.shape[2] * batch.shape[3]
    return Tensor(unchecked: Array(batch.shape.dropFirst()), Array(batch.scalars[(index * size)..<((index + 1) * size)]))
}
