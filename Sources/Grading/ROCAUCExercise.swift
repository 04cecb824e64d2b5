import UNetKit
import SegmentationModels
import LabExercises

/// Grades the advanced lab's `rocAUC(scores:labels:)`: scikit-learn's `roc_auc_score`, tied
/// scores forming one threshold, the area by trapezoids.
///
/// - scikit-learn with ties (5 points): 40 scores on 11 levels, 12 equal scores (AUC 0.5),
///   200 scores on 5 levels with 12 % positives, 30 distinct scores, and a hand-made example
///   with ties across the classes (AUC 0.7);
/// - one class only is an error (1 point): scikit-learn raises ValueError; returning a number
///   (0, NaN, 0.5) loses the point;
/// - randomized (4 points), new every run: 2–300 scores, often on few levels (many ties),
///   against the probability that a positive outscores a negative, a tie counting one half
///   (computed here over all pairs).
///
/// Catches: one threshold per pixel instead of per distinct score (the result then depends on
/// the order of tied pixels), pairs counted without the half for ties, rectangles instead of
/// trapezoids. Tolerance 1e-6.
public struct ROCAUCExercise: ExerciseGrader {
    public init() {}
    public let exercise = "roc_auc"
    public let title = "Advanced: rocAUC"
    public let file = "Labs/ROCAUC.swift"
    public let function = "rocAUC(scores:labels:)"

    public func checks(_ set: ExerciseSet) -> [Check] {
        [
            Check("scikit-learn's roc_auc_score, with ties", points: 5) {
                for i in 0..<5 {
                    let scores = try GradingFixtures.tensor("roc.case\(i).scores").scalars
                    let labels = try GradingFixtures.tensor("roc.case\(i).labels").scalars.map { $0 != 0 }
                    let expected = Double(try GradingFixtures.tensor("roc.case\(i).value").scalars[0])
                    try requireClose(try set.rocAUC(scores, labels), expected, absolute: 1e-6, relative: 0,
                                     "rocAUC of \(Self.describe(scores, labels)) (scikit-learn's roc_auc_score)")
                }
                return "5 cases, 4 of them with tied scores"
            },
            Check("one class only: an error", points: 1) {
                // A stub throws too: only an answer that computes an AUC can earn this point.
                do { _ = try set.rocAUC([0.2, 0.7, 0.7], [false, true, false]) } catch let stub as ExerciseNotImplemented { throw stub } catch {}
                for labels in [[true, true, true], [false, false, false]] {
                    let value: Double
                    do { value = try set.rocAUC([0.2, 0.7, 0.7], labels) } catch let stub as ExerciseNotImplemented { throw stub } catch { continue }
                    throw CheckFailure("rocAUC(scores: [0.2, 0.7, 0.7], labels: \(labels)) returned \(value), expected an error: "
                                       + "with one class the ROC curve is not defined (scikit-learn raises ValueError)")
                }
                return "only positives and only negatives throw"
            },
            Check("randomized scores with ties", points: 4) {
                let seed = randomizedSeed()
                var g = SeededGenerator(seed: seed)
                for _ in 0..<8 {
                    let n = g.integer(2, 301)
                    let levels = [2, 3, 5, 11, 0][g.integer(0, 5)]         // 0: continuous scores
                    let share = g.uniform(0.05, 0.6)
                    let scores = (0..<n).map { _ in levels == 0 ? Float(g.nextUnit()) : Float(g.integer(0, levels)) / Float(levels) }
                    var labels = (0..<n).map { _ in g.nextUnit() < share }
                    labels[0] = true; labels[1] = false
                    try requireClose(try set.rocAUC(scores, labels), Self.pairwiseAUC(scores, labels), absolute: 1e-6, relative: 0,
                                     "rocAUC of \(Self.describe(scores, labels)) (P(positive > negative) + ½ P(tie), "
                                     + "randomized, UNETLAB_GRADER_SEED=\(seed))")
                }
                return "8 cases (seed \(seed))"
            },
        ]
    }

    /// The AUC as a probability: over every (positive, negative) pair, 1 when the positive
    /// scores higher, ½ for a tie.
    static func pairwiseAUC(_ scores: [Float], _ labels: [Bool]) -> Double {
        let positives = zip(scores, labels).filter { $0.1 }.map(\.0), negatives = zip(scores, labels).filter { !$0.1 }.map(\.0)
        var total = 0.0
        for p in positives { for q in negatives { total += p > q ? 1 : (p == q ? 0.5 : 0) } }
        return total / Double(positives.count * negatives.count)
    }

    static func describe(_ scores: [Float], _ labels: [Bool]) -> String {
        "\(scores.count) scores (\(Set(scores).count) distinct), \(labels.filter { $0 }.count) positives"
    }
}
