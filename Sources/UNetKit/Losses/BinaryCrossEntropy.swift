/// Mean binary cross-entropy between probabilities p and targets t (PyTorch's `nn.BCELoss()`):
///
///     L = −(1/M) Σ [ t·log(p) + (1 − t)·log(1 − p) ]     each log clamped at −100
///     dL/dp = (1/M) · (p − t) / max(p·(1 − p), 1e-12)
///
/// The clamp keeps L finite when a probability is exactly 0 or 1. Any shape, p and t equal.

func binaryCrossEntropyForward<S: KernelScalar>(_ p: [S], _ t: [S]) -> S {
    var sum = 0.0
    for i in 0..<p.count {
        let logP = max(S.log(p[i]), -100), log1mP = max(S.log(1 - p[i]), -100)
        sum += Double((t[i] - 1) * log1mP - t[i] * logP)
    }
    return S(sum / Double(max(1, p.count)))
}

func binaryCrossEntropyBackward<S: KernelScalar>(_ p: [S], _ t: [S], gradLoss: S) -> [S] {
    let scale = gradLoss / S(max(1, p.count))
    var dp = [S](repeating: 0, count: p.count)
    for i in 0..<p.count { dp[i] = scale * (p[i] - t[i]) / max((1 - p[i]) * p[i], S(1e-12)) }
    return dp
}

/// Differentiable mean binary cross-entropy. `probabilities` in [0, 1] (e.g. after `sigmoid()`),
/// `target` of the same shape. Returns a scalar of shape `[]`.
public func binaryCrossEntropy(_ probabilities: Variable, _ target: Tensor) throws -> Variable {
    let p = probabilities.value
    guard target.shape == p.shape else {
        throw ShapeError("Using a target size (\(shapeString(target.shape))) that is different to the input size "
                         + "(\(shapeString(p.shape))) is not supported in binary_cross_entropy")
    }
    if let bad = p.scalars.first(where: { !($0 >= 0 && $0 <= 1) }) {
        throw ShapeError("all elements of input should be between 0 and 1 (binary_cross_entropy takes "
                         + "probabilities — apply sigmoid() to logits first), but found \(bad)")
    }
    let loss = binaryCrossEntropyForward(p.scalars, target.scalars)
    return Variable(Tensor(unchecked: [], [loss]), parents: [probabilities]) { dl in
        [Tensor(unchecked: p.shape, binaryCrossEntropyBackward(p.scalars, target.scalars, gradLoss: dl.scalars[0]))]
    }
}
