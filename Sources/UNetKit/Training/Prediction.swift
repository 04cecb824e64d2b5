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
