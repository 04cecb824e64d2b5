import XCTest
import TestSupport
@testable import UNetKit

/// The losses against torchvision / PyTorch (and the seed's TensorFlow code ported to torch):
/// forward value and the gradient of a random upstream gy, on odd shapes with extreme logits.
final class LossTests: XCTestCase {
    private func f(_ name: String) throws -> Tensor { try TrainingFixtures.tensor(name) }
    private func scalar(_ name: String) throws -> Double { try TrainingFixtures.scalar(name) }

    /// Runs `loss` on the case's input (a leaf) and target, compares y and the input's gradient.
    private func check(_ name: String, input: String = "x", file: StaticString = #filePath, line: UInt = #line,
                       _ loss: (Variable, Tensor) throws -> Variable) throws {
        let x = Variable(try f("\(name).\(input)"), requiresGrad: true)
        let y = try loss(x, try f("\(name).t"))
        assertClose(y.value, try f("\(name).y"), .op, "\(name) y", file: file, line: line)
        try y.backward(gradient: try f("\(name).gy"))
        guard let grad = x.grad else { return XCTFail("\(name): no gradient", file: file, line: line) }
        assertClose(grad, try f("\(name).g\(input)"), .op, "\(name) d\(input)", file: file, line: line)
    }

    func testSigmoidFocalLossMatchesTorchvision() throws {
        for name in ["focal.default", "focal.extremes", "focal.noalpha", "focal.alpha75.gamma3.sum", "focal.gamma0",
                     "focal.gamma_half.soft"] {
            let alpha = Float(try scalar("\(name).alpha")), gamma = Float(try scalar("\(name).gamma"))
            let reduction: LossReduction = try scalar("\(name).sum") == 1 ? .sum : .mean
            try check(name) { try sigmoidFocalLoss($0, $1, alpha: alpha, gamma: gamma, reduction: reduction) }
        }
    }

    func testFocalLossIsFiniteForExtremeLogits() throws {
        let x = Variable(try Tensor(shape: [6], scalars: [100, -100, 1000, -1000, 88, -88]), requiresGrad: true)
        for t in [Tensor(repeating: 1, shape: [6]), Tensor(zeros: [6])] {
            x.zeroGrad()
            let loss = try sigmoidFocalLoss(x, t)
            XCTAssertTrue(loss.value.scalars[0].isFinite)
            try loss.backward()
            XCTAssertTrue(x.grad!.scalars.allSatisfy(\.isFinite), "\(x.grad!.scalars)")
        }
        // The wrong class at logit 1000 costs α_t·1000 per element (the loss grows linearly, no ∞).
        let wrong = try sigmoidFocalLoss(Variable(try Tensor(shape: [1], scalars: [-1000])), Tensor(repeating: 1, shape: [1]))
        XCTAssertEqual(wrong.value.scalars[0], 0.25 * 1000, accuracy: 1e-3)
    }

    func testClippedFocalLossMatchesTheSeedsTensorFlowVersion() throws {
        for name in ["clipped_focal.default", "clipped_focal.alpha60.gamma1"] {
            let alpha = Float(try scalar("\(name).alpha")), gamma = Float(try scalar("\(name).gamma"))
            try check(name, input: "p") { try clippedFocalLoss($0, $1, alpha: alpha, gamma: gamma) }
        }
    }

    /// On probabilities inside the clip and 0/1 targets, the clipped version is the logits version.
    func testClippedAndLogitFocalLossesAgreeInsideTheClip() throws {
        let logits = randomTensor([3, 8], seed: 40, scale: 3)
        let target = Tensor(shape: [3, 8]) { $0[1] % 3 == 0 ? 1 : 0 }
        let fromLogits = try sigmoidFocalLoss(Variable(logits), target, alpha: 0.3, gamma: 2)
        let fromProbabilities = try clippedFocalLoss(Variable(logits).sigmoid(), target, alpha: 0.3, gamma: 2)
        XCTAssertEqual(fromLogits.value.scalars[0], fromProbabilities.value.scalars[0], accuracy: 1e-5)
    }

    func testSeedFocalLossWithMultiplyBugIsReproducedAndDiffers() throws {
        let x = try f("seed_focal_bug.x"), t = try f("seed_focal_bug.t")
        let buggy = try seedFocalLossWithMultiplyBug(logits: x, target: t, alpha: 0.25, gamma: 2)
        assertClose(buggy, try f("seed_focal_bug.y"), .op, "seed focal loss with the multiply bug")
        // It is not the focal loss with either α convention.
        let mean = buggy.scalars.reduce(0, +) / Float(buggy.count)
        for alpha: Float in [0.25, 0.75] {
            let focal = try sigmoidFocalLoss(Variable(x), t, alpha: alpha, gamma: 2).value.scalars[0]
            XCTAssertGreaterThan(abs(mean - focal), 0.01 * abs(focal), "α = \(alpha)")
        }
        // It breaks down where sigmoid saturates.
        let saturated = try seedFocalLossWithMultiplyBug(logits: try Tensor(shape: [2], scalars: [100, 100]),
                                                         target: try Tensor(shape: [2], scalars: [1, 0]))
        XCTAssertFalse(saturated.scalars.contains { $0.isFinite }, "\(saturated.scalars)")
    }

    func testBinaryCrossEntropyWithLogitsMatchesPyTorch() throws {
        for name in ["bce_logits.plain", "bce_logits.pos_weight", "bce_logits.soft"] {
            let w = try scalar("\(name).pos_weight")
            try check(name) { try binaryCrossEntropyWithLogits($0, $1, posWeight: w < 0 ? nil : Float(w)) }
        }
    }

    func testCrossEntropyMatchesPyTorch() throws {
        for name in ["cross_entropy.indices", "cross_entropy.2d", "cross_entropy.onehot", "cross_entropy.soft"] {
            try check(name) { try crossEntropy($0, $1) }
        }
    }

    func testSoftmaxAndLogSoftmaxMatchPyTorch() throws {
        for name in ["softmax.nchw", "softmax.last", "log_softmax.nchw", "log_softmax.extremes"] {
            let x = Variable(try f("\(name).x"), requiresGrad: true)
            let dim = Int(try scalar("\(name).dim"))
            let y = name.hasPrefix("log") ? try x.logSoftmax(dim: dim) : try x.softmax(dim: dim)
            assertClose(y.value, try f("\(name).y"), .op, "\(name) y")
            try y.backward(gradient: try f("\(name).gy"))
            assertClose(x.grad!, try f("\(name).gx"), .op, "\(name) dx")
        }
    }

    func testSoftDiceAndIoULossesMatchTheirDefinitions() throws {
        for kind in ["dice", "iou"] {
            for variant in ["batch", "batch.smooth1", "planes", "planes.empty", "clamped"] {
                let name = "soft_\(kind).\(variant)"
                let smooth = try scalar("\(name).smooth"), eps = try scalar("\(name).eps")
                let reduction: OverlapLossReduction = try scalar("\(name).per_plane") == 1 ? .perSampleAndChannel : .wholeBatch
                try check(name, input: "p") { p, t in
                    kind == "dice" ? try softDiceLoss(p, t, smooth: smooth, epsilon: eps, reduction: reduction)
                        : try softIoULoss(p, t, smooth: smooth, epsilon: eps, reduction: reduction)
                }
            }
        }
    }

    /// The defaults' edge cases: a perfect prediction scores 0; empty vs empty is 1 with
    /// smooth 0 (0/ε) and 0 with smooth 1.
    func testSoftOverlapLossEdgeCases() throws {
        let mask = Tensor(shape: [2, 1, 3, 3]) { ($0[2] + $0[3]) % 2 == 0 ? 1 : 0 }
        for loss in [softDiceLoss, softIoULoss] {
            XCTAssertEqual(try loss(Variable(mask), mask, 0, 1e-7, .wholeBatch).value.scalars[0], 0, accuracy: 1e-6)
            let empty = Tensor(zeros: [1, 1, 2, 2])
            XCTAssertEqual(try loss(Variable(empty), empty, 0, 1e-7, .wholeBatch).value.scalars[0], 1)
            XCTAssertEqual(try loss(Variable(empty), empty, 1, 1e-7, .perSampleAndChannel).value.scalars[0], 0)
        }
    }

    func testWeightedSumOfLossesIsOneLine() throws {
        let logits = Variable(randomTensor([2, 1, 3, 4], seed: 41), requiresGrad: true)
        let target = Tensor(shape: [2, 1, 3, 4]) { $0[3] > 1 ? 1 : 0 }
        let bce = try binaryCrossEntropyWithLogits(logits, target)
        let dice = try softDiceLoss(logits.sigmoid(), target)
        let total = try 0.5 * bce + dice * 2
        XCTAssertEqual(total.value.scalars[0], 0.5 * bce.value.scalars[0] + 2 * dice.value.scalars[0], accuracy: 1e-6)
        try total.backward()
        let combined = logits.grad!
        logits.zeroGrad()
        try (0.5 * binaryCrossEntropyWithLogits(logits, target)).backward()
        try (2 * softDiceLoss(logits.sigmoid(), target)).backward()
        assertClose(combined, logits.grad!, .op, "gradient of the weighted sum")
    }

    func testBadInputsThrowClearErrors() throws {
        let x = Variable(Tensor(zeros: [2, 3]))
        let t = Tensor(zeros: [2, 3])
        func message(_ body: () throws -> Variable) -> String {
            do { _ = try body(); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(message { try sigmoidFocalLoss(x, Tensor(zeros: [3, 2])) }.contains("Target size ([3, 2]) must be the same as input size ([2, 3])"))
        XCTAssertTrue(message { try sigmoidFocalLoss(x, t, alpha: 1.5) }.contains("Invalid alpha value: 1.5"))
        XCTAssertTrue(message { try sigmoidFocalLoss(x, t, gamma: -1) }.contains("gamma"))
        XCTAssertTrue(message { try softDiceLoss(Variable(Tensor(repeating: 1.5, shape: [2, 3])), t) }
            .contains("all elements of input should be between 0 and 1, but found 1.5"))
        XCTAssertTrue(message { try softIoULoss(Variable(t), Tensor(repeating: -1, shape: [2, 3])) }.contains("target"))
        XCTAssertTrue(message { try clippedFocalLoss(Variable(Tensor(repeating: 2, shape: [2, 3])), t) }.contains("sigmoid()"))
        XCTAssertTrue(message { try binaryCrossEntropyWithLogits(x, Tensor(repeating: 3, shape: [2, 3])) }.contains("target"))
        XCTAssertTrue(message { try binaryCrossEntropyWithLogits(x, t, posWeight: -2) }.contains("pos_weight"))
        XCTAssertTrue(message { try crossEntropy(x, try Tensor(shape: [2], scalars: [0, 3])) }.contains("Target 3 is out of bounds."))
        XCTAssertTrue(message { try crossEntropy(x, try Tensor(shape: [2], scalars: [0, 0.5])) }.contains("whole numbers"))
        XCTAssertTrue(message { try crossEntropy(x, try Tensor(shape: [2], scalars: [-1, 0])) }.contains("Target -1 is out of bounds."))
        XCTAssertTrue(message { try crossEntropy(x, try Tensor(shape: [2], scalars: [1e30, .infinity])) }.contains("is out of bounds."))
        XCTAssertTrue(message { try crossEntropy(x, Tensor(zeros: [3])) }.contains("of shape [2]"))
        XCTAssertTrue(message { try crossEntropy(Variable(Tensor(zeros: [3])), Tensor(zeros: [3])) }.contains("at least 2-D"))
        XCTAssertTrue(message { try x.softmax(dim: 2) }.contains("Dimension out of range (expected to be in range of [-2, 1], but got 2)"))
        XCTAssertTrue(message { try softDiceLoss(Variable(Tensor(zeros: [4])), Tensor(zeros: [4]), reduction: .perSampleAndChannel) }
            .contains("[N, C, …]"))
    }
}
