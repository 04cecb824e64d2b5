/// Cross-entropy over classes, as `F.cross_entropy(scores, target)` (`nn.CrossEntropyLoss`):
/// log-softmax over the class axis 1, then the negative log-likelihood of the true class,
/// averaged over every sample and pixel.
///
///     scores [N, C, d…]   (e.g. [N, C, H, W], or [N, C] for plain classification)
///     class indices  target [N, d…], whole numbers in 0..<C:
///         loss = −(1/M) Σ logSoftmax(x)[n, target[n, …], …]        M = N·(product of d…)
///         dx   = (g/M) · (softmax(x) − onehot(target))
///     class probabilities (e.g. one-hot)  target [N, C, d…], same shape as the scores:
///         loss = −(1/M) Σ_n,… Σ_c t_c · logSoftmax(x)_c
///         dx   = (g/M) · (softmax(x) · Σ_c t_c − t)
///
/// Which kind the target is follows from its shape, as in PyTorch. With `reduction: .sum`
/// the 1/M is left out. No class weights, no ignore_index, no label smoothing.
/// - Returns: a scalar of shape `[]`.
public func crossEntropy(_ scores: Variable, _ target: Tensor, reduction: LossReduction = .mean) throws -> Variable {
    let x = scores.value
    guard x.rank >= 2 else {
        throw ShapeError("cross_entropy: expected scores of shape [N, C, …] (at least 2-D), but got a "
                         + "\(x.rank)-D tensor of shape \(shapeString(x.shape))")
    }
    let lines = AxisLines(x.shape, dim: 1)
    let indexShape = [x.shape[0]] + x.shape.dropFirst(2)
    if target.shape == x.shape {
        let loss = crossEntropyProbabilitiesForward(x.scalars, target.scalars, lines, reduction: reduction)
        return Variable(Tensor(unchecked: [], [loss]), parents: [scores]) { dl in
            [Tensor(unchecked: x.shape, crossEntropyProbabilitiesBackward(x.scalars, target.scalars, lines,
                                                                          reduction: reduction, gradLoss: dl.scalars[0]))]
        }
    }
    guard target.shape == indexShape else {
        throw ShapeError("cross_entropy: expected a target of class indices of shape \(shapeString(indexShape)) "
                         + "or of class probabilities of shape \(shapeString(x.shape)), but got \(shapeString(target.shape))")
    }
    var classes = [Int](repeating: 0, count: target.count)
    for (i, v) in target.scalars.enumerated() {
        guard v == v.rounded() else {
            throw ShapeError("cross_entropy: class indices must be whole numbers, but the target holds \(v)")
        }
        guard v >= 0 && v < Float(lines.length) else {
            throw ShapeError("Target \(abs(v) < 1e15 ? String(Int(v)) : String(describing: v)) is out of bounds.")
        }
        classes[i] = Int(v)
    }
    let loss = crossEntropyIndicesForward(x.scalars, classes, lines, reduction: reduction)
    return Variable(Tensor(unchecked: [], [loss]), parents: [scores]) { dl in
        [Tensor(unchecked: x.shape, crossEntropyIndicesBackward(x.scalars, classes, lines, reduction: reduction,
                                                                gradLoss: dl.scalars[0]))]
    }
}

/// `classes[o·inner + i]` is the true class of line (o, i).
func crossEntropyIndicesForward<S: KernelScalar>(_ x: [S], _ classes: [Int], _ lines: AxisLines,
                                                 reduction: LossReduction) -> S {
    let logP = logSoftmaxForward(x, lines)
    var sum = 0.0
    for (k, c) in classes.enumerated() {
        let (o, i) = k.quotientAndRemainder(dividingBy: lines.inner)
        sum -= Double(logP[(o * lines.length + c) * lines.inner + i])
    }
    return S(sum * reduction.scale(count: classes.count))
}

func crossEntropyIndicesBackward<S: KernelScalar>(_ x: [S], _ classes: [Int], _ lines: AxisLines,
                                                  reduction: LossReduction, gradLoss: S) -> [S] {
    let scale = gradLoss * S(reduction.scale(count: classes.count))
    var dx = softmaxForward(x, lines)
    for (k, c) in classes.enumerated() {
        let (o, i) = k.quotientAndRemainder(dividingBy: lines.inner)
        dx[(o * lines.length + c) * lines.inner + i] -= 1
    }
    return dx.map { $0 * scale }
}

func crossEntropyProbabilitiesForward<S: KernelScalar>(_ x: [S], _ t: [S], _ lines: AxisLines,
                                                       reduction: LossReduction) -> S {
    let logP = logSoftmaxForward(x, lines)
    var sum = 0.0
    for k in 0..<x.count { sum -= Double(t[k] * logP[k]) }
    return S(sum * reduction.scale(count: lines.outer * lines.inner))
}

func crossEntropyProbabilitiesBackward<S: KernelScalar>(_ x: [S], _ t: [S], _ lines: AxisLines,
                                                        reduction: LossReduction, gradLoss: S) -> [S] {
    let scale = gradLoss * S(reduction.scale(count: lines.outer * lines.inner))
    let p = softmaxForward(x, lines)
    var dx = p
    lines.forEachLine { base in
        var mass: S = 0
        for c in 0..<lines.length { mass += t[base + c * lines.inner] }
        for c in 0..<lines.length {
            let k = base + c * lines.inner
            dx[k] = scale * (p[k] * mass - t[k])
        }
    }
    return dx
}
