import Foundation

/// A focal loss *as it is sometimes mistyped*, kept to show what the mistakes do — not for training.
///
///     p = sigmoid(x)
///     L = −t·(1 − α)·((1 − p)·γ)·log p − (1 − t)·α·p^γ·log(1 − p)        per element, no reduction
///
/// Two things differ from the focal loss (`sigmoidFocalLoss`):
/// 1. `(1 − p)·γ` *multiplies* by γ where the focal loss raises to the power γ: on positives the
///    modulating factor is then linear in 1 − p and scaled by γ (γ = 2 doubles the positives'
///    loss instead of damping the easy ones).
/// 2. `1 − α` multiplies the positives and `α` the negatives — the opposite of torchvision's
///    convention (legitimate on its own: it is α' = 1 − α; combined with 1. it is not a focal loss).
///
/// It takes logits but computes log p and log(1 − p) from p = sigmoid(x) directly, as the
/// mistyped code does, so it gives NaN or ±∞ once sigmoid saturates (|x| ≳ 17 in float32:
/// 0·log 0 = NaN) — the reason the correct versions use log-sigmoid or clip p.
///
/// - Parameters: `logits` and `target` of the same shape (any), target values in [0, 1].
/// - Returns: the per-element losses, same shape as `logits` (forward only: no gradient).
public func seedFocalLossWithMultiplyBug(logits: Tensor, target: Tensor, alpha: Float = 0.25,
                                         gamma: Float = 2) throws -> Tensor {
    try requireSameShape(logits, target, "seed_focal_loss_with_multiply_bug")
    try requireUnitInterval(target, "target", "seed_focal_loss_with_multiply_bug")
    var out = logits
    out.withUnsafeMutableScalars { out in
        for i in out.indices {
            let p = 1 / (1 + Foundation.exp(-logits.scalars[i])), t = target.scalars[i]
            out[i] = -t * (1 - alpha) * ((1 - p) * gamma) * Foundation.log(p)
                - (1 - t) * alpha * Foundation.pow(p, gamma) * Foundation.log(1 - p)
        }
    }
    return out
}
