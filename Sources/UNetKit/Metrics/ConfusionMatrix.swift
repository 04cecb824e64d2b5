/// The four counts of a binary segmentation at one threshold, and the scores made from them.
///
/// A pixel is predicted positive when its probability is ≥ `threshold`. With a field-of-view
/// mask only the pixels where the mask is 1 are counted (vessel benchmarks score inside the
/// FOV; counting the black border outside it inflates accuracy and specificity).
///
///     accuracy          = (TP + TN) / (TP + FP + TN + FN)
///     sensitivity       = TP / (TP + FN)          = recall = true positive rate
///     specificity       = TN / (TN + FP)          = true negative rate
///     precision         = TP / (TP + FP)          = positive predictive value
///     F1                = 2·TP / (2·TP + FP + FN) = Dice of the two binary masks
///     IoU               = TP / (TP + FP + FN)     = Jaccard index = F1 / (2 − F1)
///     balanced accuracy = (sensitivity + specificity) / 2
///
/// Note: TP / (TP + FP) is *precision*, not sensitivity — a report that prints it under the
/// name "sensitivity" is reporting precision.
///
/// A ratio whose denominator is 0 is NaN (undefined: e.g. sensitivity of an image with no
/// positive pixel), except F1/Dice and IoU, which are 1 when prediction and label are both
/// empty (TP + FP + FN = 0): two empty masks agree perfectly. (scikit-learn returns 0 with a
/// warning there unless `zero_division=1`.)
public struct ConfusionMatrix: Equatable, Sendable, CustomStringConvertible {
    public var truePositives: Int
    public var falsePositives: Int
    public var trueNegatives: Int
    public var falseNegatives: Int

    public init(truePositives: Int, falsePositives: Int, trueNegatives: Int, falseNegatives: Int) {
        (self.truePositives, self.falsePositives, self.trueNegatives, self.falseNegatives)
            = (truePositives, falsePositives, trueNegatives, falseNegatives)
    }

    /// Counts over all elements of `probabilities` and `labels` (same shape, labels 0/1), inside
    /// `mask` (same shape, 0/1) when one is given.
    public init(probabilities: Tensor, labels: Tensor, threshold: Float = 0.5, mask: Tensor? = nil) throws {
        let (scores, truth) = try maskedScoresAndLabels(probabilities, labels, mask: mask, "confusion_matrix")
        self.init(scores: scores[...], labels: truth[...], threshold: threshold)
    }

    init(scores: ArraySlice<Float>, labels: ArraySlice<Bool>, threshold: Float) {
        var (tp, fp, tn, fn) = (0, 0, 0, 0)
        for (s, y) in zip(scores, labels) {
            switch (s >= threshold, y) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, false): tn += 1
            case (false, true): fn += 1
            }
        }
        self.init(truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn)
    }

    /// One matrix per image of `[N, …]` probabilities and labels (and mask).
    public static func perImage(probabilities: Tensor, labels: Tensor, threshold: Float = 0.5,
                                mask: Tensor? = nil) throws -> [ConfusionMatrix] {
        guard probabilities.rank >= 1 else {
            throw ShapeError("confusion_matrix: expected [N, …] probabilities, but got a 0-D tensor")
        }
        let (scores, truth) = try maskedScoresAndLabels(probabilities, labels, mask: nil, "confusion_matrix")
        if let mask {
            guard mask.shape == probabilities.shape else {
                throw ShapeError("confusion_matrix: expected a mask of the scores' shape \(shapeString(probabilities.shape)), "
                                 + "but got \(shapeString(mask.shape))")
            }
            try requireBinary(mask, "mask", "confusion_matrix")
        }
        let n = probabilities.shape[0], size = probabilities.count / max(n, 1)
        return (0..<n).map { k in
            let range = (k * size)..<((k + 1) * size)
            guard let mask else { return ConfusionMatrix(scores: scores[range], labels: truth[range], threshold: threshold) }
            let inside = range.filter { mask.scalars[$0] == 1 }
            return ConfusionMatrix(scores: ArraySlice(inside.map { scores[$0] }), labels: ArraySlice(inside.map { truth[$0] }),
                                   threshold: threshold)
        }
    }

    /// The counts of two matrices added (pooling images).
    public static func + (a: ConfusionMatrix, b: ConfusionMatrix) -> ConfusionMatrix {
        ConfusionMatrix(truePositives: a.truePositives + b.truePositives, falsePositives: a.falsePositives + b.falsePositives,
                        trueNegatives: a.trueNegatives + b.trueNegatives, falseNegatives: a.falseNegatives + b.falseNegatives)
    }

    public var total: Int { truePositives + falsePositives + trueNegatives + falseNegatives }

    public var accuracy: Double { ratio(truePositives + trueNegatives, total) }
    /// TP / (TP + FN): the fraction of the true foreground that is found.
    public var sensitivity: Double { ratio(truePositives, truePositives + falseNegatives) }
    /// The same as `sensitivity`.
    public var recall: Double { sensitivity }
    /// TN / (TN + FP).
    public var specificity: Double { ratio(trueNegatives, trueNegatives + falsePositives) }
    /// TP / (TP + FP): the fraction of the predicted foreground that is right.
    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    /// 2·TP / (2·TP + FP + FN); 1 when both masks are empty.
    public var f1: Double {
        truePositives + falsePositives + falseNegatives == 0 ? 1
            : ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives)
    }
    /// Dice of the binary masks: the same number as `f1`.
    public var dice: Double { f1 }
    /// TP / (TP + FP + FN); 1 when both masks are empty.
    public var iou: Double {
        truePositives + falsePositives + falseNegatives == 0 ? 1
            : ratio(truePositives, truePositives + falsePositives + falseNegatives)
    }
    /// (sensitivity + specificity) / 2.
    public var balancedAccuracy: Double { (sensitivity + specificity) / 2 }

    public var description: String {
        "ConfusionMatrix(TP \(truePositives), FP \(falsePositives), TN \(trueNegatives), FN \(falseNegatives))"
    }

    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? .nan : Double(a) / Double(b) }
}
