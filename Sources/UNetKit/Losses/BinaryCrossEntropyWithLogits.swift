/// Binary cross-entropy on logits, as `F.binary_cross_entropy_with_logits(x, t, pos_weight=w)`
/// (PyTorch's `nn.BCEWithLogitsLoss`): the sigmoid and the BCE in one step, so that no
/// probability rounds to 0 or 1 and no log(0) appears — finite for logits of ±100.
///
///     loss = (1 − t)·x + (1 + (w − 1)·t) · softplus(−x)       = −[w·t·log σ(x) + (1 − t)·log(1 − σ(x))]
///     d loss/dx = (1 − t) − (1 + (w − 1)·t) · σ(−x)           = σ(x) − t  when w = 1
///
/// then the mean (or sum) over all elements. `posWeight` w > 1 counts every positive pixel w
/// times (e.g. w = negatives/positives for a rare foreground); nil is w = 1.
///
/// - Parameters: `logits` of any shape; `target` the same shape, values in [0, 1].
/// - Returns: a scalar of shape `[]`.
public func binaryCrossEntropyWithLogits(_ logits: Variable, _ target: Tensor, posWeight: Float? = nil,
                                         reduction: LossReduction = .mean) throws -> Variable {
    let x = logits.value
    try requireSameShape(x, target, "binary_cross_entropy_with_logits")
    try requireUnitInterval(target, "target", "binary_cross_entropy_with_logits")
    if let w = posWeight, !(w >= 0 && w.isFinite) {
        throw ShapeError("binary_cross_entropy_with_logits: pos_weight must be a finite number ≥ 0, but got \(w)")
    }
    let w = posWeight ?? 1
    let loss = bceWithLogitsForward(x.scalars, target.scalars, posWeight: w, reduction: reduction)
    return Variable(Tensor(unchecked: [], [loss]), parents: [logits]) { dl in
        [Tensor(unchecked: x.shape, bceWithLogitsBackward(x.scalars, target.scalars, posWeight: w,
                                                           reduction: reduction, gradLoss: dl.scalars[0]))]
    }
}

func bceWithLogitsForward<S: KernelScalar>(_ x: [S], _ t: [S], posWeight w: S, reduction: LossReduction) -> S {
    var sum = 0.0
    for i in 0..<x.count {
        sum += Double((1 - t[i]) * x[i] + (1 + (w - 1) * t[i]) * softplus(-x[i]))
    }
    return S(sum * reduction.scale(count: x.count))
}

func bceWithLogitsBackward<S: KernelScalar>(_ x: [S], _ t: [S], posWeight w: S, reduction: LossReduction,
                                            gradLoss: S) -> [S] {
    let scale = gradLoss * S(reduction.scale(count: x.count))
    return (0..<x.count).map { i in scale * ((1 - t[i]) - (1 + (w - 1) * t[i]) * stableSigmoid(-x[i])) }
}
