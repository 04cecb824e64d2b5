/// The receiver operating characteristic curve and the area under it, as scikit-learn's
/// `roc_curve(y_true, y_score, drop_intermediate=…)` and `roc_auc_score(y_true, y_score)`.
///
/// Scores are sorted in decreasing order; every distinct score is a threshold (tied scores form
/// one threshold, so a run of ties is one diagonal step of the curve); at threshold s,
/// TPR = #positives with score ≥ s / #positives and FPR = #negatives with score ≥ s / #negatives.
/// A first point (0, 0) with threshold +∞ is put in front. With `dropIntermediate` (the default,
/// as in scikit-learn) points that lie on a straight line between their neighbours — where
/// neither the FP nor the TP count changes its step — are left out; the area is the same.
///
/// The AUC is the trapezoid area under (FPR, TPR) — ties count one half — which equals the
/// probability that a random positive scores higher than a random negative.
///
/// With only one class present the curve is undefined (0/0): these functions throw, where
/// scikit-learn warns and returns NaN.
public struct ROCCurve: Equatable, Sendable {
    /// Increasing, from 0 to 1.
    public var falsePositiveRates: [Double]
    /// Increasing, from 0 to 1.
    public var truePositiveRates: [Double]
    /// Decreasing; the first is +∞.
    public var thresholds: [Double]
}

/// The ROC curve of `scores` (finite) against binary `labels` (true = positive).
public func rocCurve(scores: [Float], labels: [Bool], dropIntermediate: Bool = true) throws -> ROCCurve {
    var counts = try ThresholdCounts(scores: scores, labels: labels, "roc_curve")
    try requireBothClasses(counts, "roc_curve")
    let (tps, fps) = (counts.truePositives, counts.falsePositives)
    if dropIntermediate && tps.count > 2 {
        // A point is kept when the second difference of fps or of tps is non-zero there (a corner).
        var kept = [0]
        for k in 1..<(tps.count - 1) {
            let fpBend: Double = fps[k + 1] - 2 * fps[k] + fps[k - 1]
            let tpBend: Double = tps[k + 1] - 2 * tps[k] + tps[k - 1]
            if fpBend != 0 || tpBend != 0 { kept.append(k) }
        }
        kept.append(tps.count - 1)
        counts.keep(kept)
    }
    let (p, n) = (counts.positives, counts.negatives)
    return ROCCurve(falsePositiveRates: [0] + counts.falsePositives.map { $0 / n },
                    truePositiveRates: [0] + counts.truePositives.map { $0 / p },
                    thresholds: [.infinity] + counts.thresholds)
}

/// The ROC curve of probabilities against 0/1 labels of the same shape, inside `mask` (0/1) if given.
public func rocCurve(probabilities: Tensor, labels: Tensor, mask: Tensor? = nil,
                     dropIntermediate: Bool = true) throws -> ROCCurve {
    let (s, y) = try maskedScoresAndLabels(probabilities, labels, mask: mask, "roc_curve")
    return try rocCurve(scores: s, labels: y, dropIntermediate: dropIntermediate)
}

/// The area under the ROC curve (scikit-learn's `roc_auc_score` for binary labels).
public func rocAUCScore(scores: [Float], labels: [Bool]) throws -> Double {
    let curve = try rocCurve(scores: scores, labels: labels)
    return trapezoidArea(x: curve.falsePositiveRates, y: curve.truePositiveRates)
}

/// The ROC AUC of probabilities against 0/1 labels, inside `mask` (0/1) if given.
public func rocAUCScore(probabilities: Tensor, labels: Tensor, mask: Tensor? = nil) throws -> Double {
    let (s, y) = try maskedScoresAndLabels(probabilities, labels, mask: mask, "roc_auc_score")
    return try rocAUCScore(scores: s, labels: y)
}

/// Σ (x[i+1] − x[i]) · (y[i+1] + y[i]) / 2 for increasing x (scikit-learn's `auc`).
public func trapezoidArea(x: [Double], y: [Double]) -> Double {
    var area = 0.0
    for i in 1..<max(1, min(x.count, y.count)) { area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2 }
    return area
}

private func requireBothClasses(_ counts: ThresholdCounts, _ function: String) throws {
    guard counts.positives > 0 && counts.negatives > 0 else {
        let present = counts.positives > 0 ? "positive" : counts.negatives > 0 ? "negative" : "no"
        throw ShapeError("\(function): only one class is present (\(present) labels only, "
                         + "\(Int(counts.positives + counts.negatives)) in all): the ROC curve and its AUC "
                         + "are not defined — they need at least one positive and one negative")
    }
}
