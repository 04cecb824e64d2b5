/// Focal loss on logits (Lin et al. 2017), exactly as torchvision's
/// `ops.sigmoid_focal_loss(logits, target, alpha, gamma, reduction)`:
///
///     p    = sigmoid(x)
///     ce   = −[t·log p + (1 − t)·log(1 − p)]           (BCE with logits, from softplus: finite for any x)
///     p_t  = p·t + (1 − p)·(1 − t)                     (the probability given to the true class)
///     α_t  = α·t + (1 − α)·(1 − t)                     (α weights the positives; α = −1: no weighting)
///     loss = α_t · (1 − p_t)^γ · ce                    then the mean (or sum) over all elements
///
///     d loss/dx = α_t · [ (p − t)·(1 − p_t)^γ + ce · γ·(1 − p_t)^(γ−1) · (1 − 2t) · p·(1 − p) ]
///
/// γ = 0 and α = −1 give plain BCE with logits. Everything is computed from the logits with
/// log-sigmoid / softplus forms, so logits of ±100 give finite losses and gradients (no log(0)).
///
/// **Two α conventions.** Here (torchvision, the paper) α multiplies the *positives* and
/// 1 − α the negatives; α = 0.25 therefore *down*-weights the rare foreground (in the paper it
/// worked best together with γ = 2, which already damps the many easy negatives). Code that puts 1 − α on the positives (like the first
/// TensorFlow snippet of some tutorials) computes this loss with α' = 1 − α: pass
/// `alpha: 1 − α'` to reproduce it. `clippedFocalLoss` (on probabilities) uses the same
/// α-on-positives convention as this function.
///
/// - Parameters:
///   - logits: any shape (e.g. `[N, 1, H, W]`), before the sigmoid.
///   - target: the same shape, values in [0, 1] (0/1 masks, or soft labels).
///   - alpha: in [0, 1], or −1 to switch the class weighting off (torchvision's values).
///   - gamma: ≥ 0, the focusing exponent.
/// - Returns: a scalar of shape `[]`.
public func sigmoidFocalLoss(_ logits: Variable, _ target: Tensor, alpha: Float = 0.25, gamma: Float = 2,
                             reduction: LossReduction = .mean) throws -> Variable {
    let x = logits.value
    try requireSameShape(x, target, "sigmoid_focal_loss")
    guard (alpha >= 0 && alpha <= 1) || alpha == -1 else {
        throw ShapeError("Invalid alpha value: \(alpha). alpha must be in the range [0,1] or -1 for ignore.")
    }
    guard gamma >= 0 && gamma.isFinite else {
        throw ShapeError("sigmoid_focal_loss: gamma must be a finite number ≥ 0, but got \(gamma)")
    }
    try requireUnitInterval(target, "target", "sigmoid_focal_loss")
    let loss = sigmoidFocalLossForward(x.scalars, target.scalars, alpha: alpha, gamma: gamma, reduction: reduction)
    return Variable(Tensor(unchecked: [], [loss]), parents: [logits]) { dl in
        [Tensor(unchecked: x.shape, sigmoidFocalLossBackward(x.scalars, target.scalars, alpha: alpha, gamma: gamma,
                                                              reduction: reduction, gradLoss: dl.scalars[0]))]
    }
}

/// α_t for target t, or 1 when α < 0 (weighting off).
@inline(__always)
private func alphaWeight<S: KernelScalar>(_ alpha: S, _ t: S) -> S {
    alpha < 0 ? 1 : alpha * t + (1 - alpha) * (1 - t)
}

func sigmoidFocalLossForward<S: KernelScalar>(_ x: [S], _ t: [S], alpha: S, gamma: S, reduction: LossReduction) -> S {
    var sum = 0.0
    for i in 0..<x.count {
        let p = stableSigmoid(x[i]), q = stableSigmoid(-x[i])
        let ce = softplus(x[i]) - x[i] * t[i]
        let oneMinusPt = p * (1 - t[i]) + q * t[i]
        sum += Double(alphaWeight(alpha, t[i]) * nonNegativePower(oneMinusPt, gamma) * ce)
    }
    return S(sum * reduction.scale(count: x.count))
}

func sigmoidFocalLossBackward<S: KernelScalar>(_ x: [S], _ t: [S], alpha: S, gamma: S, reduction: LossReduction,
                                               gradLoss: S) -> [S] {
    let scale = gradLoss * S(reduction.scale(count: x.count))
    var dx = [S](repeating: 0, count: x.count)
    for i in 0..<x.count {
        let p = stableSigmoid(x[i]), q = stableSigmoid(-x[i])
        let ce = softplus(x[i]) - x[i] * t[i]
        let a = p * (1 - t[i]) + q * t[i]                       // 1 − p_t
        // d(1 − p_t)^γ / dx = γ·a^(γ−1)·(1 − 2t)·p·q; when a is 0 (γ < 1 would give ∞·0) the
        // factor p·q is 0 as well and the term vanishes.
        let focusing = gamma == 0 || (a == 0 && gamma < 1) ? 0
            : gamma * nonNegativePower(a, gamma - 1) * (1 - 2 * t[i]) * p * q
        dx[i] = scale * alphaWeight(alpha, t[i]) * ((p - t[i]) * nonNegativePower(a, gamma) + ce * focusing)
    }
    return dx
}
