import XCTest
import TestSupport
@testable import UNetKit

/// Finite-difference checks, in Double, of every loss backward and of softmax / log-softmax
/// (the kernels are generic: the same code that trains in Float runs here in Double).
final class LossGradientCheckTests: XCTestCase {
    private let limit = 1e-6

    /// Checks a scalar loss's gradient dL/dx, scaled by an upstream gradient g.
    private func assertLossGradient(_ what: String, x: [Double], g: Double = 1.3, file: StaticString = #filePath,
                                    line: UInt = #line, forward: ([Double]) -> Double, backward: ([Double], Double) -> [Double]) {
        let error = finiteDifferenceError(x, gy: [g], analytic: backward(x, g)) { [forward($0)] }
        XCTAssertLessThan(error, limit, "\(what): finite differences disagree with backward", file: file, line: line)
    }

    private func binaryTargets(_ count: Int, seed: UInt64) -> [Double] {
        randomDoubles(count, seed: seed).map { $0 > 0.3 ? 1 : 0 }
    }

    func testSigmoidFocalLoss() {
        let x = randomDoubles(24, seed: 50).map { $0 * 4 } + [30, -30, 12, -12]
        let hard = binaryTargets(28, seed: 51)
        let soft = randomDoubles(28, seed: 52).map { 1 / (1 + Foundation.exp(-$0)) }
        for (alpha, gamma) in [(0.25, 2.0), (-1, 2), (0.75, 3), (0.5, 0), (0.25, 0.5), (0.4, 1.5)] {
            for (name, t) in [("hard", hard), ("soft", soft)] {
                for reduction in LossReduction.allCases {
                    assertLossGradient("focal α\(alpha) γ\(gamma) \(name) \(reduction)", x: x,
                                       forward: { sigmoidFocalLossForward($0, t, alpha: alpha, gamma: gamma, reduction: reduction) },
                                       backward: { sigmoidFocalLossBackward($0, t, alpha: alpha, gamma: gamma, reduction: reduction, gradLoss: $1) })
                }
            }
        }
    }

    func testClippedFocalLoss() {
        // Keep probabilities away from the clip edges, where the loss has a kink.
        let p = randomDoubles(30, seed: 53).map { 0.02 + 0.96 / (1 + Foundation.exp(-2 * $0)) } + [0, 1, 1e-7]
        let t = binaryTargets(33, seed: 54)
        for (alpha, gamma) in [(0.25, 2.0), (0.6, 1), (0.5, 0), (0.3, 0.5)] {
            assertLossGradient("clipped focal α\(alpha) γ\(gamma)", x: p,
                               forward: { clippedFocalLossForward($0, t, alpha: alpha, gamma: gamma, epsilon: 1e-5, reduction: .mean) },
                               backward: { clippedFocalLossBackward($0, t, alpha: alpha, gamma: gamma, epsilon: 1e-5, reduction: .mean, gradLoss: $1) })
        }
    }

    func testBinaryCrossEntropyWithLogits() {
        let x = randomDoubles(20, seed: 55).map { $0 * 5 } + [40, -40]
        let t = binaryTargets(22, seed: 56)
        for w in [1.0, 7.5, 0.2] {
            for reduction in LossReduction.allCases {
                assertLossGradient("bce logits w\(w) \(reduction)", x: x,
                                   forward: { bceWithLogitsForward($0, t, posWeight: w, reduction: reduction) },
                                   backward: { bceWithLogitsBackward($0, t, posWeight: w, reduction: reduction, gradLoss: $1) })
            }
        }
    }

    func testCrossEntropy() {
        let lines = AxisLines([2, 4, 3, 2], dim: 1)
        let x = randomDoubles(48, seed: 57).map { $0 * 3 }
        let classes = randomDoubles(12, seed: 58).map { Int(($0 * 1000).magnitude) % 4 }
        assertLossGradient("cross-entropy indices", x: x,
                           forward: { crossEntropyIndicesForward($0, classes, lines, reduction: .mean) },
                           backward: { crossEntropyIndicesBackward($0, classes, lines, reduction: .mean, gradLoss: $1) })
        let t = softmaxForward(randomDoubles(48, seed: 59), lines).map { $0 * 0.8 }   // probabilities with mass 0.8
        for reduction in LossReduction.allCases {
            assertLossGradient("cross-entropy probabilities \(reduction)", x: x,
                               forward: { crossEntropyProbabilitiesForward($0, t, lines, reduction: reduction) },
                               backward: { crossEntropyProbabilitiesBackward($0, t, lines, reduction: reduction, gradLoss: $1) })
        }
    }

    func testSoftmaxAndLogSoftmax() {
        for (shape, dim) in [([2, 4, 3, 2], 1), ([3, 5], 1), ([2, 3, 4], 2), ([4, 2], 0)] {
            let lines = AxisLines(shape, dim: dim)
            let count = shape.reduce(1, *)
            let x = randomDoubles(count, seed: 60).map { $0 * 3 }, gy = randomDoubles(count, seed: 61)
            let dxSoftmax = softmaxBackward(gy, output: softmaxForward(x, lines), lines)
            XCTAssertLessThan(finiteDifferenceError(x, gy: gy, analytic: dxSoftmax) { softmaxForward($0, lines) }, limit,
                              "softmax \(shape) dim \(dim)")
            let dxLog = logSoftmaxBackward(gy, output: logSoftmaxForward(x, lines), lines)
            XCTAssertLessThan(finiteDifferenceError(x, gy: gy, analytic: dxLog) { logSoftmaxForward($0, lines) }, limit,
                              "log-softmax \(shape) dim \(dim)")
        }
    }

    func testSoftDiceAndIoU() {
        let p = randomDoubles(36, seed: 62).map { 1 / (1 + Foundation.exp(-$0)) }
        let t = binaryTargets(36, seed: 63)
        for kind in [OverlapKind.dice, .iou] {
            for (planes, smooth, eps) in [(1, 0.0, 1e-7), (1, 1.0, 1e-7), (6, 1e-5, 0.0), (4, 0.0, 1e-7)] {
                assertLossGradient("soft \(kind) planes \(planes) smooth \(smooth)", x: p,
                                   forward: { softOverlapForward($0, t, kind, planes: planes, smooth: smooth, epsilon: eps) },
                                   backward: { softOverlapBackward($0, t, kind, planes: planes, smooth: smooth, epsilon: eps, gradLoss: $1) })
            }
            // Where the clamp max(D, ε) is active (D < ε = 10 here) the denominator is constant.
            let small = [0.1, 0.2, 0.3, 0.4], target = [1.0, 0, 1, 0]
            assertLossGradient("soft \(kind) clamped", x: small,
                               forward: { softOverlapForward($0, target, kind, planes: 1, smooth: 0, epsilon: 10) },
                               backward: { softOverlapBackward($0, target, kind, planes: 1, smooth: 0, epsilon: 10, gradLoss: $1) })
        }
    }

    func testScalarMultiplication() throws {
        let x = Variable(randomTensor([5], seed: 64), requiresGrad: true)
        let y = 2.5 * x
        try y.backward(gradient: Tensor(repeating: 1, shape: [5]))
        assertClose(x.grad!, Tensor(repeating: 2.5, shape: [5]), .op, "d(2.5·x)/dx")
        assertClose(y.value, Tensor(shape: [5]) { 2.5 * x.value[$0[0]] }, .op, "2.5·x")
    }
}
