/// Focal loss on probabilities with clipping — the correct TensorFlow version that circulates
/// in tutorials (Keras models end in a sigmoid, so the loss sees probabilities):
///
///     p̂    = clip(p, ε, 1 − ε)                          ε = 1e-5 keeps log(p̂) and log(1 − p̂) finite
///     loss = −α·t·(1 − p̂)^γ·log p̂ − (1 − α)·(1 − t)·p̂^γ·log(1 − p̂)      then the mean (or sum)
///
///     d loss/dp = −α·t·[(1 − p̂)^γ / p̂ − γ·(1 − p̂)^(γ−1)·log p̂]
///                 + (1 − α)·(1 − t)·[p̂^γ / (1 − p̂) − γ·p̂^(γ−1)·log(1 − p̂)]     where ε ≤ p ≤ 1 − ε,
///     0 outside (the clip passes no gradient there, like `torch.clamp` and `tf.clip_by_value`).
///
/// The tutorial code writes the same loss through logits = log(p̂/(1 − p̂)):
/// `log1p(exp(−logits))·(w_a + w_b) + logits·w_b` with w_a = α·(1 − p̂)^γ·t and
/// w_b = (1 − α)·p̂^γ·(1 − t); the two forms are equal because log1p(exp(−logits)) = −log p̂ and
/// logits + log1p(exp(−logits)) = −log(1 − p̂).
///
/// α weights the positives, as in `sigmoidFocalLoss`; for t in {0, 1} and probabilities inside
/// [ε, 1 − ε] the two functions agree when p = sigmoid(logits). The clip bounds what a confidently
/// wrong pixel can cost (at most −log ε ≈ 11.5 per element) — and takes away its gradient — whereas
/// `sigmoidFocalLoss` on logits needs no clip at all: prefer it when the network's logits are at hand.
///
/// - Parameters:
///   - probabilities: any shape, values in [0, 1] (after `sigmoid()`).
///   - target: the same shape, values in [0, 1].
///   - alpha: in [0, 1], the weight of the positives.
///   - gamma: ≥ 0.
///   - epsilon: the clip, in (0, 0.5).
/// - Returns: a scalar of shape `[]`.
public func clippedFocalLoss(_ probabilities: Variable, _ target: Tensor, alpha: Float = 0.25, gamma: Float = 2,
                             epsilon: Double = 1e-5, reduction: LossReduction = .mean) throws -> Variable {
    let p = probabilities.value
    try requireSameShape(p, target, "clipped_focal_loss")
    try requireUnitInterval(p, "input", "clipped_focal_loss", hint: " (it takes probabilities: apply sigmoid() to logits first)")
    try requireUnitInterval(target, "target", "clipped_focal_loss")
    guard alpha >= 0 && alpha <= 1 else {
        throw ShapeError("clipped_focal_loss: alpha must be in the range [0,1], but got \(alpha)")
    }
    guard gamma >= 0 && gamma.isFinite else {
        throw ShapeError("clipped_focal_loss: gamma must be a finite number ≥ 0, but got \(gamma)")
    }
    guard epsilon > 0 && epsilon < 0.5 else {
        throw ShapeError("clipped_focal_loss: epsilon must be in (0, 0.5), but got \(epsilon)")
    }
    let loss = clippedFocalLossForward(p.scalars, target.scalars, alpha: alpha, gamma: gamma, epsilon: epsilon,
                                       reduction: reduction)
    return Variable(Tensor(unchecked: [], [loss]), parents: [probabilities]) { dl in
        [Tensor(unchecked: p.shape, clippedFocalLossBackward(p.scalars, target.scalars, alpha: alpha, gamma: gamma,
                                                              epsilon: epsilon, reduction: reduction,
                                                              gradLoss: dl.scalars[0]))]
    }
}

func clippedFocalLossForward<S: KernelScalar>(_ p: [S], _ t: [S], alpha: S, gamma: S, epsilon: Double,
                                              reduction: LossReduction) -> S {
    let (lo, hi) = (S(epsilon), S(1 - epsilon))
    var sum = 0.0
    for i in 0..<p.count {
        let c = min(max(p[i], lo), hi)
        let positive = alpha * t[i] * nonNegativePower(1 - c, gamma) * S.log(c)
        let negative = (1 - alpha) * (1 - t[i]) * nonNegativePower(c, gamma) * S.log(1 - c)
        sum -= Double(positive + negative)
    }
    return S(sum * reduction.scale(count: p.count))
}

func clippedFocalLossBackward<S: KernelScalar>(_ p: [S], _ t: [S], alpha: S, gamma: S, epsilon: Double,
                                               reduction: LossReduction, gradLoss: S) -> [S] {
    let (lo, hi) = (S(epsilon), S(1 - epsilon))
    let scale = gradLoss * S(reduction.scale(count: p.count))
    var dp = [S](repeating: 0, count: p.count)
    for i in 0..<p.count where p[i] >= lo && p[i] <= hi {
        let c = p[i]
        let dPositive = nonNegativePower(1 - c, gamma) / c
            - (gamma == 0 ? 0 : gamma * nonNegativePower(1 - c, gamma - 1) * S.log(c))
        let dNegative = nonNegativePower(c, gamma) / (1 - c)
            - (gamma == 0 ? 0 : gamma * nonNegativePower(c, gamma - 1) * S.log(1 - c))
        dp[i] = scale * (-alpha * t[i] * dPositive + (1 - alpha) * (1 - t[i]) * dNegative)
    }
    return dp
}
