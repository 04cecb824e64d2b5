/// Prediction as in the course: evaluation mode, no gradients, sigmoid of the logits, and a
/// 0.5 threshold for the binary mask.

/// Per-class probabilities `[N, C, H, W]` for images `[N, nChannels, H, W]`. The model is put in
/// evaluation mode for the forward pass and returned to the mode it was in.
///
/// The images go through the network `batchSize` at a time (evaluation mode: each image's
/// output does not depend on the others), so memory stays that of one batch whatever N is.
public func predictProbabilities(_ model: Module, images: Tensor, batchSize: Int = 8) throws -> Tensor {
    let wasTraining = model.isTraining
    model.eval()
    defer { model.train(wasTraining) }
    let n = images.shape.first ?? 0
    guard n > batchSize, batchSize >= 1 else {
        return try withoutGradients { try model(Variable(images)).sigmoid().value }
    }
    let per = images.count / n
    var shape: [Int] = []
    var scalars: [Float] = []
    for start in stride(from: 0, to: n, by: batchSize) {
        let end = min(n, start + batchSize)
        let batch = try Tensor(shape: [end - start] + images.shape.dropFirst(),
                               scalars: Array(images.scalars[(start * per)..<(end * per)]))
        let p = try withoutGradients { try model(Variable(batch)).sigmoid().value }
        if shape.isEmpty { shape = [n] + p.shape.dropFirst(); scalars.reserveCapacity(n * (p.count / (end - start))) }
        scalars += p.scalars
    }
    return try Tensor(shape: shape, scalars: scalars)
}

/// The binary mask: 1 where the probability is above `threshold`, else 0.
public func threshold(_ probabilities: Tensor, at threshold: Float = 0.5) -> Tensor {
    Tensor(unchecked: probabilities.shape, probabilities.scalars.map { $0 > threshold ? 1 : 0 })
}
