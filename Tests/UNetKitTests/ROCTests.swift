import Foundation
import XCTest
import TestSupport
@testable import UNetKit

/// ROC curve, ROC AUC, precision–recall curve and average precision against scikit-learn, on
/// scores with many ties, over all pixels and inside a field-of-view mask.
final class ROCTests: XCTestCase {
    private func f(_ name: String) throws -> Tensor { try TrainingFixtures.tensor(name) }

    /// Element-wise within 1e-6 (the fixtures are float32 copies of scikit-learn's float64).
    private func assertCurve(_ ours: [Double], _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try f(name).scalars
        XCTAssertEqual(ours.count, expected.count, "\(name): number of points", file: file, line: line)
        for (k, (a, e)) in zip(ours, expected).enumerated() where !(a == Double(e)) {
            XCTAssertEqual(a, Double(e), accuracy: 1e-6, "\(name)[\(k)]", file: file, line: line)
        }
    }

    func testCurvesAndAreasMatchScikitLearn() throws {
        let (s, y, fov) = (try f("metrics.s"), try f("metrics.y"), try f("metrics.fov"))
        for (prefix, mask) in [("metrics.all", nil), ("metrics.fov", fov)] as [(String, Tensor?)] {
            for (tag, drop) in [("drop", true), ("all", false)] {
                let roc = try rocCurve(probabilities: s, labels: y, mask: mask, dropIntermediate: drop)
                try assertCurve(roc.falsePositiveRates, "\(prefix).roc.\(tag).fpr")
                try assertCurve(roc.truePositiveRates, "\(prefix).roc.\(tag).tpr")
                try assertCurve(roc.thresholds, "\(prefix).roc.\(tag).thresholds")
                let pr = try precisionRecallCurve(probabilities: s, labels: y, mask: mask, dropIntermediate: drop)
                try assertCurve(pr.precision, "\(prefix).pr.\(tag).precision")
                try assertCurve(pr.recall, "\(prefix).pr.\(tag).recall")
                try assertCurve(pr.thresholds, "\(prefix).pr.\(tag).thresholds")
            }
            XCTAssertEqual(try rocAUCScore(probabilities: s, labels: y, mask: mask), try TrainingFixtures.scalar("\(prefix).auc"),
                           accuracy: 1e-6, prefix)
            XCTAssertEqual(try averagePrecisionScore(probabilities: s, labels: y, mask: mask),
                           try TrainingFixtures.scalar("\(prefix).ap"), accuracy: 1e-6, prefix)
        }
        // 21 score levels: ties collapse the curve to at most 21 thresholds + the (0, 0) point.
        XCTAssertLessThanOrEqual(try rocCurve(probabilities: s, labels: y, dropIntermediate: false).thresholds.count, 22)
    }

    func testAllPositiveLabels() throws {
        let s = try f("metrics.allpos.s").scalars
        let labels = [Bool](repeating: true, count: s.count)
        let pr = try precisionRecallCurve(scores: s, labels: labels)
        try assertCurve(pr.precision, "metrics.allpos.pr.precision")
        try assertCurve(pr.recall, "metrics.allpos.pr.recall")
        try assertCurve(pr.thresholds, "metrics.allpos.pr.thresholds")
        XCTAssertEqual(try averagePrecisionScore(scores: s, labels: labels), try TrainingFixtures.scalar("metrics.allpos.ap"),
                       accuracy: 1e-6)
        XCTAssertThrowsError(try rocAUCScore(scores: s, labels: labels)) {
            XCTAssertTrue("\($0)".contains("only one class is present (positive labels only"), "\($0)")
        }
    }

    func testOneClassOrBadScoresThrow() {
        XCTAssertThrowsError(try rocCurve(scores: [0.1, 0.4], labels: [false, false])) {
            XCTAssertTrue("\($0)".contains("only one class is present (negative labels only, 2 in all)"), "\($0)")
        }
        XCTAssertThrowsError(try averagePrecisionScore(scores: [0.1, 0.4], labels: [false, false])) {
            XCTAssertTrue("\($0)".contains("no positive label"), "\($0)")
        }
        XCTAssertThrowsError(try rocAUCScore(scores: [], labels: [])) { XCTAssertTrue("\($0)".contains("only one class")) }
        XCTAssertThrowsError(try rocAUCScore(scores: [0.1, .nan], labels: [true, false])) {
            XCTAssertTrue("\($0)".contains("scores must be finite, but found nan"), "\($0)")
        }
        XCTAssertThrowsError(try rocAUCScore(scores: [0.1], labels: [true, false])) { XCTAssertTrue("\($0)".contains("as many labels")) }
    }

    /// A million pixels: the AUC equals the Mann–Whitney statistic (ties count one half),
    /// computed here independently by counting over the 101 score levels.
    func testMillionPixelsAgreeWithMannWhitney() throws {
        var g = SeededGenerator(seed: 77)
        let n = 1_000_000
        var scores = [Float](repeating: 0, count: n), labels = [Bool](repeating: false, count: n)
        var positivesAt = [Double](repeating: 0, count: 101), negativesAt = [Double](repeating: 0, count: 101)
        for i in 0..<n {
            let level = Int(g.next() % 101)
            scores[i] = Float(level) / 100
            labels[i] = Double(g.next() % 1000) / 1000 < 0.05 + 0.3 * Double(level) / 100
            if labels[i] { positivesAt[level] += 1 } else { negativesAt[level] += 1 }
        }
        var pairs = 0.0, negativesBelow = 0.0
        for level in 0...100 {
            pairs += positivesAt[level] * (negativesBelow + negativesAt[level] / 2)
            negativesBelow += negativesAt[level]
        }
        let expected = pairs / (positivesAt.reduce(0, +) * negativesAt.reduce(0, +))
        let start = Date()
        let auc = try rocAUCScore(scores: scores, labels: labels)
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(auc, expected, accuracy: 1e-9)
        XCTAssertLessThan(seconds, 10, "a million scores should take well under a second (sort once), took \(seconds) s")
    }
}
