import UNetKit
import SegmentationModels
import LabExercises

/// Exercise (advanced lab): the area under the ROC curve, as scikit-learn's
/// `roc_auc_score(labels, scores)` computes it.
///
/// Sort by score, highest first. Every *distinct* score is one threshold: pixels with the same
/// score are classified positive together, so tied scores give one point of the curve, not one
/// per pixel. At each threshold, with P positives and N negatives in all:
///
///     TPR = (positives with score ≥ threshold) / P,   FPR = (negatives with score ≥ threshold) / N
///
/// The curve runs from (0, 0) through those points to (1, 1); the AUC is the trapezoid sum
/// Σ (FPR_i − FPR_{i−1}) · (TPR_i + TPR_{i−1}) / 2. (Equivalently: the probability that a random
/// positive scores higher than a random negative, a tie counting one half.)
///
/// scores and labels of one length → AUC in [0, 1]. With only one class present the curve is
/// not defined: throw an error that says so (scikit-learn raises ValueError).
public func rocAUC(scores: [Float], labels: [Bool]) throws -> Double {
    guard scores.count == labels.count else {
        throw ShapeError("roc_auc: expected as many labels as scores, but got \(labels.count) labels and \(scores.count) scores")
    }
    guard !scores.contains(where: { $0.isNaN }) else { throw ShapeError("roc_auc: the scores contain NaN") }
    // BEGIN SOLUTION
    let positives = labels.filter { $0 }.count, negatives = labels.count - positives
    guard positives > 0, negatives > 0 else {
        throw ShapeError("roc_auc: only one class present (\(positives) positives, \(negatives) negatives); "
                         + "ROC AUC is not defined then")
    }
    let order = scores.indices.sorted { scores[$0] > scores[$1] }
    var (tp, fp) = (0, 0)
    var (previousTPR, previousFPR) = (0.0, 0.0)
    var area = 0.0
    var k = 0
    while k < order.count {
        let threshold = scores[order[k]]
        while k < order.count, scores[order[k]] == threshold {      // every pixel of this score at once
            if labels[order[k]] { tp += 1 } else { fp += 1 }
            k += 1
        }
        let (tpr, fpr) = (Double(tp) / Double(positives), Double(fp) / Double(negatives))
        area += (fpr - previousFPR) * (tpr + previousTPR) / 2
        (previousTPR, previousFPR) = (tpr, fpr)
    }
    return area
    // END SOLUTION
    // STUB: throw ExerciseNotImplemented(exercise: "Advanced: rocAUC", file: "Labs/ROCAUC.swift",
    // STUB:                              function: "rocAUC(scores:labels:)")
}
