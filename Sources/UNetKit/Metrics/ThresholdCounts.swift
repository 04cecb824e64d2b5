/// The cumulative counts behind ROC and precision–recall curves (scikit-learn's
/// `_binary_clf_curve` / `confusion_matrix_at_thresholds`): for every distinct score s, in
/// decreasing order, the number of positives (tps) and negatives (fps) with score ≥ s.
///
/// Tied scores form one threshold (a pixel cannot be split between two). The scores of the
/// positives and of the negatives are sorted once each (O(n log n)), then merged.
struct ThresholdCounts {
    var thresholds: [Double] = []
    var truePositives: [Double] = []
    var falsePositives: [Double] = []

    init(scores: [Float], labels: [Bool], _ function: String) throws {
        guard scores.count == labels.count else {
            throw ShapeError("\(function): expected as many labels as scores, but got \(labels.count) labels and \(scores.count) scores")
        }
        if let bad = scores.first(where: { !$0.isFinite }) {
            throw ShapeError("\(function): scores must be finite, but found \(bad)")
        }
        var positives: [Float] = [], negatives: [Float] = []
        for (s, y) in zip(scores, labels) { if y { positives.append(s) } else { negatives.append(s) } }
        positives.sort(by: >)
        negatives.sort(by: >)
        var (i, j) = (0, 0)
        while i < positives.count || j < negatives.count {
            let s = max(i < positives.count ? positives[i] : -.infinity, j < negatives.count ? negatives[j] : -.infinity)
            while i < positives.count && positives[i] == s { i += 1 }
            while j < negatives.count && negatives[j] == s { j += 1 }
            thresholds.append(Double(s))
            truePositives.append(Double(i))
            falsePositives.append(Double(j))
        }
    }

    var positives: Double { truePositives.last ?? 0 }
    var negatives: Double { falsePositives.last ?? 0 }

    /// Keeps the points at `indices` (sorted).
    mutating func keep(_ indices: [Int]) {
        thresholds = indices.map { thresholds[$0] }
        truePositives = indices.map { truePositives[$0] }
        falsePositives = indices.map { falsePositives[$0] }
    }
}
