/// Soft Dice loss and soft IoU (Jaccard) loss on probabilities — differentiable versions of
/// the overlap scores, computed from probabilities p (not from thresholded masks: a threshold
/// or an argmax has zero gradient almost everywhere, so a loss built on it cannot train).
///
///     I = Σ p·t        card = Σ p + Σ t        U = card − I       (sums over one "plane", see below)
///     Dice loss = 1 − (2·I + smooth) / max(card + smooth, ε)
///     IoU loss  = 1 − (I + smooth)    / max(U + smooth, ε)
///
/// Defaults follow segmentation_models_pytorch (`DiceLoss` / `JaccardLoss` in binary mode):
/// smooth 0, ε = 1e-7, and one ratio over the whole batch (`.wholeBatch`: the sums run over
/// the batch and all pixels together). `.perSampleAndChannel` takes one ratio per
/// (sample, channel) plane of an `[N, C, …]` input and averages them, as MONAI's `DiceLoss`
/// does (batch=False); MONAI's smooth_nr = smooth_dr = 1e-5 is `smooth: 1e-5, epsilon: 0`.
///
/// Empty prediction and empty target: with smooth 0 the ratio is 0/ε = 0 and the loss is 1
/// (segmentation_models_pytorch then leaves such classes out of its mean; this function does
/// not); with smooth > 0 it is 1 and the loss 0.
///
/// Gradient, per plane, with N = numerator and D = denominator (before the clamp):
///
///     d(1 − N/D)/dp_i = −(N'·D − N·D')/D²  when D ≥ ε,   −N'/ε  when D < ε (the clamp is constant)
///     Dice: N' = 2·t_i, D' = 1          IoU: N' = t_i, D' = 1 − t_i
///
/// then divided by the number of planes.

/// Where a soft overlap loss takes its ratio.
public enum OverlapLossReduction: String, Sendable, CaseIterable {
    /// One ratio of sums over the whole batch: all samples, channels and pixels together
    /// (segmentation_models_pytorch's binary mode).
    case wholeBatch
    /// One ratio per (sample, channel) plane of an `[N, C, …]` input, then the mean over the
    /// planes (MONAI's DiceLoss with batch=False).
    case perSampleAndChannel
}

/// 1 − soft Dice of `probabilities` and `target` (same shape; values in [0, 1]).
/// - Returns: a scalar of shape `[]`.
public func softDiceLoss(_ probabilities: Variable, _ target: Tensor, smooth: Double = 0, epsilon: Double = 1e-7,
                         reduction: OverlapLossReduction = .wholeBatch) throws -> Variable {
    try softOverlapLoss(probabilities, target, .dice, smooth: smooth, epsilon: epsilon, reduction: reduction)
}

/// 1 − soft IoU (Jaccard index) of `probabilities` and `target` (same shape; values in [0, 1]).
/// - Returns: a scalar of shape `[]`.
public func softIoULoss(_ probabilities: Variable, _ target: Tensor, smooth: Double = 0, epsilon: Double = 1e-7,
                        reduction: OverlapLossReduction = .wholeBatch) throws -> Variable {
    try softOverlapLoss(probabilities, target, .iou, smooth: smooth, epsilon: epsilon, reduction: reduction)
}

enum OverlapKind { case dice, iou }

private func softOverlapLoss(_ probabilities: Variable, _ target: Tensor, _ kind: OverlapKind, smooth: Double,
                             epsilon: Double, reduction: OverlapLossReduction) throws -> Variable {
    let p = probabilities.value
    let name = kind == .dice ? "soft_dice_loss" : "soft_iou_loss"
    try requireSameShape(p, target, name)
    try requireUnitInterval(p, "input", name, hint: " (it takes probabilities: apply sigmoid() or softmax() to logits first)")
    try requireUnitInterval(target, "target", name)
    guard smooth >= 0 && smooth.isFinite && epsilon >= 0 && epsilon.isFinite else {
        throw ShapeError("\(name): smooth and epsilon must be finite numbers ≥ 0, but got smooth \(smooth), epsilon \(epsilon)")
    }
    var planes = 1
    if reduction == .perSampleAndChannel {
        guard p.rank >= 2 else {
            throw ShapeError("\(name): .perSampleAndChannel needs an input of shape [N, C, …], but got \(shapeString(p.shape))")
        }
        planes = p.shape[0] * p.shape[1]
    }
    let loss = softOverlapForward(p.scalars, target.scalars, kind, planes: planes, smooth: smooth, epsilon: epsilon)
    return Variable(Tensor(unchecked: [], [loss]), parents: [probabilities]) { dl in
        [Tensor(unchecked: p.shape, softOverlapBackward(p.scalars, target.scalars, kind, planes: planes, smooth: smooth,
                                                        epsilon: epsilon, gradLoss: dl.scalars[0]))]
    }
}

/// Numerator and denominator (before the clamp) of one plane's ratio.
private func overlapRatioParts<S: KernelScalar>(_ p: ArraySlice<S>, _ t: ArraySlice<S>, _ kind: OverlapKind,
                                                smooth: Double) -> (numerator: Double, denominator: Double) {
    var intersection = 0.0, cardinality = 0.0
    for (a, b) in zip(p, t) {
        intersection += Double(a * b)
        cardinality += Double(a) + Double(b)
    }
    switch kind {
    case .dice: return (2 * intersection + smooth, cardinality + smooth)
    case .iou: return (intersection + smooth, cardinality - intersection + smooth)
    }
}

func softOverlapForward<S: KernelScalar>(_ p: [S], _ t: [S], _ kind: OverlapKind, planes: Int, smooth: Double,
                                         epsilon: Double) -> S {
    let size = p.count / max(planes, 1)
    var total = 0.0
    for k in 0..<planes {
        let range = (k * size)..<((k + 1) * size)
        let (n, d) = overlapRatioParts(p[range], t[range], kind, smooth: smooth)
        total += 1 - n / max(d, epsilon)
    }
    return S(total / Double(planes))
}

func softOverlapBackward<S: KernelScalar>(_ p: [S], _ t: [S], _ kind: OverlapKind, planes: Int, smooth: Double,
                                          epsilon: Double, gradLoss: S) -> [S] {
    let size = p.count / max(planes, 1)
    let g = Double(gradLoss) / Double(planes)
    var dp = [S](repeating: 0, count: p.count)
    for k in 0..<planes {
        let range = (k * size)..<((k + 1) * size)
        let (n, d) = overlapRatioParts(p[range], t[range], kind, smooth: smooth)
        for i in range {
            let ti = Double(t[i])
            let (dn, dd) = kind == .dice ? (2 * ti, 1.0) : (ti, 1 - ti)
            let dRatio = d >= epsilon ? (dn * d - n * dd) / (d * d) : dn / epsilon
            dp[i] = S(-g * dRatio)
        }
    }
    return dp
}
