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
    // write your code here
    throw ExerciseNotImplemented(exercise: "Advanced: rocAUC", file: "Labs/ROCAUC.swift",
                                 function: "rocAUC(scores:labels:)")
}
