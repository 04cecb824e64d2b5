/// The precision–recall curve and average precision, as scikit-learn's
/// `precision_recall_curve(y_true, y_score, drop_intermediate=False)` and
/// `average_precision_score(y_true, y_score)`.
///
/// At each distinct score s (tied scores form one threshold), counting the pixels with score ≥ s:
/// precision = TP / (TP + FP), recall = TP / #positives. The arrays are in order of *increasing*
/// threshold (recall decreasing) and end with the point precision 1, recall 0, which has no
/// threshold (so `thresholds` is one shorter). With `dropIntermediate`, of each run of
/// thresholds with the same TP count only the first and last are kept.
///
/// Average precision = Σ_k (R_k − R_{k+1}) · P_k over the points in that order: precision at each
/// threshold weighted by the recall gained there — a step function, not the trapezoid (which
/// would be optimistic).
///
/// Without any positive label recall is 0/0: these functions throw (scikit-learn warns and sets
/// recall to 1). With positives only, precision is 1 everywhere and AP is 1.
public struct PrecisionRecallCurve: Equatable, Sendable {
    public var precision: [Double]
    public var recall: [Double]
    /// Increasing; one fewer than `precision` and `recall`.
    public var thresholds: [Double]
}

/// The precision–recall curve of `scores` (finite) against binary `labels` (true = positive).
public func precisionRecallCurve(scores: [Float], labels: [Bool], dropIntermediate: Bool = false) throws -> PrecisionRecallCurve {
    var counts = try ThresholdCounts(scores: scores, labels: labels, "precision_recall_curve")
    guard counts.positives > 0 else {
        throw ShapeError("precision_recall_curve: no positive label among the \(scores.count) scores: "
                         + "recall (TP / positives) is not defined")
    }
    let tps = counts.truePositives
    if dropIntermediate && tps.count > 2 {
        var kept = [0]
        for k in 1..<(tps.count - 1) where tps[k] != tps[k - 1] || tps[k + 1] != tps[k] { kept.append(k) }
        kept.append(tps.count - 1)
        counts.keep(kept)
    }
    let precision = zip(counts.truePositives, counts.falsePositives).map { tp, fp in tp + fp == 0 ? 0 : tp / (tp + fp) }
    let recall = counts.truePositives.map { $0 / counts.positives }
    return PrecisionRecallCurve(precision: precision.reversed() + [1], recall: recall.reversed() + [0],
                                thresholds: counts.thresholds.reversed())
}

/// The precision–recall curve of probabilities against 0/1 labels, inside `mask` (0/1) if given.
public func precisionRecallCurve(probabilities: Tensor, labels: Tensor, mask: Tensor? = nil,
                                 dropIntermediate: Bool = false) throws -> PrecisionRecallCurve {
    let (s, y) = try maskedScoresAndLabels(probabilities, labels, mask: mask, "precision_recall_curve")
    return try precisionRecallCurve(scores: s, labels: y, dropIntermediate: dropIntermediate)
}

/// Average precision (scikit-learn's `average_precision_score` for binary labels).
public func averagePrecisionScore(scores: [Float], labels: [Bool]) throws -> Double {
    let curve = try precisionRecallCurve(scores: scores, labels: labels)
    var sum = 0.0
    for k in 0..<(curve.recall.count - 1) { sum -= (curve.recall[k + 1] - curve.recall[k]) * curve.precision[k] }
    return max(0, sum)
}

/// Average precision of probabilities against 0/1 labels, inside `mask` (0/1) if given.
public func averagePrecisionScore(probabilities: Tensor, labels: Tensor, mask: Tensor? = nil) throws -> Double {
    let (s, y) = try maskedScoresAndLabels(probabilities, labels, mask: mask, "average_precision_score")
    return try averagePrecisionScore(scores: s, labels: y)
}
