import Foundation
import UNetKit
import SegmentationModels
import LabExercises

/// Exercise (advanced lab): the focal loss on logits (Lin et al. 2017), as torchvision's
/// `ops.sigmoid_focal_loss(logits, target, alpha, gamma, reduction="mean")` computes it:
///
///     p    = sigmoid(x)
///     ce   = −[t·log p + (1 − t)·log(1 − p)]        BCE with logits
///     p_t  = p·t + (1 − p)·(1 − t)                  the probability of the true class
///     α_t  = α·t + (1 − α)·(1 − t)                  α weights the positives; α = −1: α_t = 1
///     loss = mean over all elements of α_t · (1 − p_t)^γ · ce
///
/// It must be finite for logits of ±100: σ(100) is 1 in Float, so log(1 − p) would be log 0.
/// Use the log-sigmoid form instead: log p = −softplus(−x), log(1 − p) = −softplus(x), with
/// softplus(x) = log(1 + eˣ) = max(x, 0) + log(1 + e^(−|x|)) — then ce = softplus(x) − t·x.
///
/// The gradient (write it next to the forward: `Variable(value, parents: [logits]) { dL in … }`):
///
///     d ce/dx = p − t,   d(1 − p_t)/dx = (1 − 2t)·p·(1 − p)
///     d loss_i/dx_i = α_t · [(p − t)·(1 − p_t)^γ + ce · γ·(1 − p_t)^(γ−1)·(1 − 2t)·p·(1 − p)] / n
///
/// logits: any shape (e.g. `[N, 1, H, W]`); target: the same shape, values in [0, 1];
/// alpha in [0, 1] or −1; gamma ≥ 0 → a scalar of shape `[]`.
public func focalLoss(_ logits: Variable, _ target: Tensor, alpha: Float, gamma: Float) throws -> Variable {
    guard logits.shape == target.shape else {
        throw ShapeError("focal_loss: expected logits and target of the same shape, but got "
                         + "\(shapeString(logits.shape)) and \(shapeString(target.shape))")
    }
    guard (alpha >= 0 && alpha <= 1) || alpha == -1 else {
        throw ShapeError("focal_loss: expected alpha in [0, 1] or -1 (no weighting), but got \(alpha)")
    }
    guard gamma >= 0, gamma.isFinite else {
        throw ShapeError("focal_loss: expected gamma ≥ 0, but got \(gamma)")
    }
    // write your code here
    throw ExerciseNotImplemented(exercise: "Advanced: focalLoss", file: "Labs/FocalLoss.swift",
                                 function: "focalLoss(_:_:alpha:gamma:)")
}
