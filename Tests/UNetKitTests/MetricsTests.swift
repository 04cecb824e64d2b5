import XCTest
import TestSupport
@testable import UNetKit

/// Confusion-matrix scores against scikit-learn, over all pixels, inside a field-of-view
/// mask and at another threshold; per-image vs pooled Dice/IoU with an empty and an
/// all-positive image.
final class MetricsTests: XCTestCase {
    private func f(_ name: String) throws -> Tensor { try TrainingFixtures.tensor(name) }

    /// Compares the matrix and its seven scores with the fixture (NaN where sklearn says undefined).
    private func assertScores(_ m: ConfusionMatrix, _ prefix: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let counts = try f("\(prefix).confusion").scalars.map { Int($0) }
        XCTAssertEqual([m.truePositives, m.falsePositives, m.trueNegatives, m.falseNegatives], counts, prefix, file: file, line: line)
        let ours = [m.accuracy, m.sensitivity, m.specificity, m.precision, m.f1, m.iou, m.balancedAccuracy]
        let names = ["accuracy", "sensitivity", "specificity", "precision", "f1", "iou", "balanced accuracy"]
        for (k, expected) in try f("\(prefix).scores").scalars.enumerated() {
            if expected.isNaN {
                XCTAssertTrue(ours[k].isNaN, "\(prefix) \(names[k])", file: file, line: line)
            } else {
                XCTAssertEqual(ours[k], Double(expected), accuracy: 1e-6, "\(prefix) \(names[k])", file: file, line: line)
            }
        }
    }

    func testConfusionMatrixScoresMatchScikitLearn() throws {
        let (s, y, fov) = (try f("metrics.s"), try f("metrics.y"), try f("metrics.fov"))
        try assertScores(try ConfusionMatrix(probabilities: s, labels: y), "metrics.all")
        try assertScores(try ConfusionMatrix(probabilities: s, labels: y, mask: fov), "metrics.fov")
        try assertScores(try ConfusionMatrix(probabilities: s, labels: y, threshold: 0.3), "metrics.t03")
    }

    /// Counting outside the field of view adds easy true negatives: accuracy and specificity rise.
    func testFieldOfViewChangesTheCounts() throws {
        let s = try Tensor(shape: [1, 6], scalars: [0.9, 0.2, 0.7, 0.1, 0, 0])
        let y = try Tensor(shape: [1, 6], scalars: [1, 1, 0, 0, 0, 0])
        let fov = try Tensor(shape: [1, 6], scalars: [1, 1, 1, 1, 0, 0])
        let inside = try ConfusionMatrix(probabilities: s, labels: y, mask: fov)
        let everywhere = try ConfusionMatrix(probabilities: s, labels: y)
        XCTAssertEqual(inside, ConfusionMatrix(truePositives: 1, falsePositives: 1, trueNegatives: 1, falseNegatives: 1))
        XCTAssertEqual(everywhere.trueNegatives, 3)
        XCTAssertGreaterThan(everywhere.accuracy, inside.accuracy)
        XCTAssertGreaterThan(everywhere.specificity, inside.specificity)
    }

    func testPerImageAndPooledDiceAndIoUMatchScikitLearn() throws {
        let averages = try OverlapAverages(probabilities: try f("overlap.s"), labels: try f("overlap.y"))
        let perImage = try f("overlap.per_image")       // [4, 2]: F1 and Jaccard of each image
        let images = perImage.shape[0]
        let dice = (0..<images).map { Double(perImage[$0, 0]) }.reduce(0, +) / Double(images)
        let iou = (0..<images).map { Double(perImage[$0, 1]) }.reduce(0, +) / Double(images)
        XCTAssertEqual(perImage[0, 0], 1, "the empty image (empty label, empty prediction) scores 1")
        XCTAssertEqual(averages.perImageDice, dice, accuracy: 1e-6)
        XCTAssertEqual(averages.perImageIoU, iou, accuracy: 1e-6)
        let pooled = try f("overlap.pooled")
        XCTAssertEqual(averages.pooledDice, Double(pooled.scalars[0]), accuracy: 1e-6)
        XCTAssertEqual(averages.pooledIoU, Double(pooled.scalars[1]), accuracy: 1e-6)
        XCTAssertGreaterThan(abs(averages.perImageDice - averages.pooledDice), 1e-3, "the two averages differ here")
    }

    func testEmptyAndAllPositiveMasks() throws {
        let empty = try ConfusionMatrix(probabilities: Tensor(zeros: [2, 3]), labels: Tensor(zeros: [2, 3]))
        XCTAssertEqual(empty.dice, 1)
        XCTAssertEqual(empty.iou, 1)
        XCTAssertEqual(empty.accuracy, 1)
        XCTAssertTrue(empty.sensitivity.isNaN, "no positive pixel: sensitivity is undefined")
        XCTAssertTrue(empty.precision.isNaN, "no predicted pixel: precision is undefined")
        let full = try ConfusionMatrix(probabilities: Tensor(repeating: 1, shape: [4]), labels: Tensor(repeating: 1, shape: [4]))
        XCTAssertEqual(full.sensitivity, 1)
        XCTAssertEqual(full.precision, 1)
        XCTAssertTrue(full.specificity.isNaN)
        XCTAssertEqual(full.dice, 1)
        let missed = try ConfusionMatrix(probabilities: Tensor(zeros: [4]), labels: Tensor(repeating: 1, shape: [4]))
        XCTAssertEqual(missed.dice, 0)
        XCTAssertEqual(missed.iou, 0)
    }

    /// F1 = Dice, IoU = F1/(2 − F1), and precision is TP/(TP+FP) — what some reports print as "sensitivity".
    func testRelationsBetweenScores() throws {
        let m = ConfusionMatrix(truePositives: 30, falsePositives: 10, trueNegatives: 50, falseNegatives: 20)
        XCTAssertEqual(m.dice, m.f1)
        XCTAssertEqual(m.iou, m.f1 / (2 - m.f1), accuracy: 1e-12)
        XCTAssertEqual(m.precision, 30.0 / 40)
        XCTAssertEqual(m.sensitivity, 30.0 / 50)
        XCTAssertEqual(m.balancedAccuracy, (30.0 / 50 + 50.0 / 60) / 2, accuracy: 1e-12)
    }

    func testBadInputsThrow() {
        XCTAssertThrowsError(try ConfusionMatrix(probabilities: Tensor(zeros: [2]), labels: Tensor(zeros: [3]))) {
            XCTAssertTrue("\($0)".contains("expected labels of the scores' shape [2], but got [3]"), "\($0)")
        }
        XCTAssertThrowsError(try ConfusionMatrix(probabilities: Tensor(zeros: [2]), labels: Tensor(repeating: 0.5, shape: [2]))) {
            XCTAssertTrue("\($0)".contains("expected labels of 0 and 1 only, but found 0.5"), "\($0)")
        }
        XCTAssertThrowsError(try ConfusionMatrix(probabilities: Tensor(zeros: [2]), labels: Tensor(zeros: [2]), mask: Tensor(zeros: [1]))) {
            XCTAssertTrue("\($0)".contains("mask"), "\($0)")
        }
    }
}
