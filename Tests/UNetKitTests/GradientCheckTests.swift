import XCTest
import TestSupport
@testable import UNetKit

/// Finite-difference checks of every backward kernel, run in Double (the kernels are
/// generic), so central differences with h = 1e-6 are accurate to about 1e-8: a wrong
/// gradient shows up as a relative error near 1, a right one below 1e-6.
final class GradientCheckTests: XCTestCase {
    private let limit = 1e-6

    private func assertGradient(_ what: String, x: [Double], gy: [Double], analytic: [Double],
                                file: StaticString = #filePath, line: UInt = #line, forward: ([Double]) -> [Double]) {
        let error = finiteDifferenceError(x, gy: gy, analytic: analytic, forward: forward)
        XCTAssertLessThan(error, limit, "\(what): finite differences disagree with backward", file: file, line: line)
    }

    func testConv2dNaive() {
        for (k, (s, p)) in [(1, 1), (2, 1), (1, 0)].enumerated() {
            let g = ConvGeometry(batch: 2, inChannels: 3, height: 5, width: 4, outChannels: 2,
                                 kernelHeight: 3, kernelWidth: 2, stride: s, padding: p)
            let x = randomDoubles(g.inputShape.reduce(1, *), seed: UInt64(k))
            let w = randomDoubles(g.weightShape.reduce(1, *), seed: 100)
            let b = randomDoubles(2, seed: 101)
            let gy = randomDoubles(g.outputShape.reduce(1, *), seed: 102)
            let grads = conv2dNaiveBackward(gy, x, w, g)
            assertGradient("conv dx s\(s) p\(p)", x: x, gy: gy, analytic: grads.dx) { conv2dNaiveForward($0, w, b, g) }
            assertGradient("conv dw s\(s) p\(p)", x: w, gy: gy, analytic: grads.dw) { conv2dNaiveForward(x, $0, b, g) }
            assertGradient("conv db s\(s) p\(p)", x: b, gy: gy, analytic: grads.db) { conv2dNaiveForward(x, w, $0, g) }
        }
    }

    func testConvTranspose2dNaive() throws {
        for (s, p, k) in [(2, 1, 3), (2, 0, 2), (1, 1, 3)] {
            let g = try convTransposeGeometry(input: [2, 3, 3, 4], weight: [3, 2, k, k], bias: [2], stride: s, padding: p)
            let x = randomDoubles(2 * 3 * 3 * 4, seed: 1), w = randomDoubles(3 * 2 * k * k, seed: 2)
            let b = randomDoubles(2, seed: 3), gy = randomDoubles(g.inputShape.reduce(1, *), seed: 4)
            let grads = convTranspose2dNaiveBackward(gy, x, w, g)
            assertGradient("convT dx", x: x, gy: gy, analytic: grads.dx) { convTranspose2dNaiveForward($0, w, b, g) }
            assertGradient("convT dw", x: w, gy: gy, analytic: grads.dw) { convTranspose2dNaiveForward(x, $0, b, g) }
            assertGradient("convT db", x: b, gy: gy, analytic: grads.db) { convTranspose2dNaiveForward(x, w, $0, g) }
        }
    }

    func testMaxPool() {
        let x = randomDoubles(2 * 7 * 6, seed: 5), gy = randomDoubles(2 * 3 * 3, seed: 6)
        let (_, argmax) = maxPool2dForward(x, planes: 2, height: 7, width: 6, kernel: 2)
        let dx = maxPool2dBackward(gy, argmax: argmax, planes: 2, height: 7, width: 6)
        assertGradient("maxpool", x: x, gy: gy, analytic: dx) { maxPool2dForward($0, planes: 2, height: 7, width: 6, kernel: 2).y }
    }

    func testBatchNormTraining() {
        let (n, c, plane) = (3, 2, 6)
        let x = randomDoubles(n * c * plane, seed: 7), gamma = randomDoubles(c, seed: 8), beta = randomDoubles(c, seed: 9)
        let gy = randomDoubles(x.count, seed: 10)
        let stats = batchNormTrainForward(x, gamma: gamma, beta: beta, batch: n, channels: c, plane: plane, eps: 1e-5).stats
        let g = batchNormBackward(gy, x, gamma: gamma, mean: stats.mean, invStd: stats.invStd, training: true,
                                  batch: n, channels: c, plane: plane)
        func forward(_ x: [Double], _ gamma: [Double], _ beta: [Double]) -> [Double] {
            batchNormTrainForward(x, gamma: gamma, beta: beta, batch: n, channels: c, plane: plane, eps: 1e-5).y
        }
        assertGradient("bn dx", x: x, gy: gy, analytic: g.dx) { forward($0, gamma, beta) }
        assertGradient("bn dgamma", x: gamma, gy: gy, analytic: g.dgamma) { forward(x, $0, beta) }
        assertGradient("bn dbeta", x: beta, gy: gy, analytic: g.dbeta) { forward(x, gamma, $0) }
    }

    func testBatchNormEvaluation() {
        let (n, c, plane) = (2, 3, 4)
        let x = randomDoubles(n * c * plane, seed: 11), gamma = randomDoubles(c, seed: 12), beta = randomDoubles(c, seed: 13)
        let mean = randomDoubles(c, seed: 14), invStd = [0.5, 1.5, 2.0]
        let gy = randomDoubles(x.count, seed: 15)
        let g = batchNormBackward(gy, x, gamma: gamma, mean: mean, invStd: invStd, training: false,
                                  batch: n, channels: c, plane: plane)
        func forward(_ x: [Double], _ gamma: [Double], _ beta: [Double]) -> [Double] {
            batchNormApply(x, mean: mean, invStd: invStd, gamma: gamma, beta: beta, batch: n, channels: c, plane: plane)
        }
        assertGradient("bn eval dx", x: x, gy: gy, analytic: g.dx) { forward($0, gamma, beta) }
        assertGradient("bn eval dgamma", x: gamma, gy: gy, analytic: g.dgamma) { forward(x, $0, beta) }
        assertGradient("bn eval dbeta", x: beta, gy: gy, analytic: g.dbeta) { forward(x, gamma, $0) }
    }

    func testActivations() {
        // Keep ReLU inputs away from its kink at 0, where the derivative is not defined.
        let x = randomDoubles(40, seed: 16).map { $0 + ($0 >= 0 ? 0.1 : -0.1) }, gy = randomDoubles(40, seed: 17)
        assertGradient("relu", x: x, gy: gy, analytic: reluBackward(gy, output: reluForward(x))) { reluForward($0) }
        assertGradient("sigmoid", x: x, gy: gy, analytic: sigmoidBackward(gy, output: sigmoidForward(x))) { sigmoidForward($0) }
    }

    func testBilinearUpsampling() {
        for (h, w) in [(3, 4), (1, 2), (5, 5)] {
            let x = randomDoubles(2 * h * w, seed: 18), gy = randomDoubles(2 * 4 * h * w, seed: 19)
            let dx = upsampleBilinearBackward(gy, planes: 2, height: h, width: w, outHeight: 2 * h, outWidth: 2 * w)
            assertGradient("upsample \(h)×\(w)", x: x, gy: gy, analytic: dx) {
                upsampleBilinearForward($0, planes: 2, height: h, width: w, outHeight: 2 * h, outWidth: 2 * w)
            }
        }
    }

    func testPadCropAndConcatenation() {
        let x = randomDoubles(2 * 3 * 4, seed: 20)
        for (top, left, oh, ow) in [(1, 2, 5, 7), (-1, -1, 2, 2), (0, -2, 4, 2)] {
            let gy = randomDoubles(2 * oh * ow, seed: 21)
            let dx = shiftPlanes(gy, planes: 2, srcHeight: oh, srcWidth: ow, dstHeight: 3, dstWidth: 4,
                                 rowShift: -top, colShift: -left)
            assertGradient("pad \(top),\(left)", x: x, gy: gy, analytic: dx) {
                shiftPlanes($0, planes: 2, srcHeight: 3, srcWidth: 4, dstHeight: oh, dstWidth: ow, rowShift: top, colShift: left)
            }
        }
        let a = randomDoubles(2 * 3 * 4, seed: 22), b = randomDoubles(2 * 1 * 4, seed: 23)
        let gy = randomDoubles(2 * 4 * 4, seed: 24)
        let parts = concatChannelsBackward(gy, channels: [3, 1], batch: 2, plane: 4)
        assertGradient("cat a", x: a, gy: gy, analytic: parts[0]) { concatChannelsForward([$0, b], channels: [3, 1], batch: 2, plane: 4) }
        assertGradient("cat b", x: b, gy: gy, analytic: parts[1]) { concatChannelsForward([a, $0], channels: [3, 1], batch: 2, plane: 4) }
    }

    func testBinaryCrossEntropy() {
        let p = randomDoubles(30, seed: 25).map { 1 / (1 + Foundation.exp(-$0)) }
        let t = randomDoubles(30, seed: 26).map { $0 > 0 ? 1.0 : 0.0 }
        let dp = binaryCrossEntropyBackward(p, t, gradLoss: 1.7)
        assertGradient("bce", x: p, gy: [1.7], analytic: dp) { [binaryCrossEntropyForward($0, t)] }
    }

    /// The checker itself must be able to fail: a gradient off by a factor is caught.
    func testCheckerCatchesAWrongGradient() {
        let x = randomDoubles(10, seed: 27), gy = randomDoubles(10, seed: 28)
        let wrong = sigmoidBackward(gy, output: sigmoidForward(x)).map { $0 * 1.01 }
        XCTAssertGreaterThan(finiteDifferenceError(x, gy: gy, analytic: wrong) { sigmoidForward($0) }, 1e-4)
    }
}
