import XCTest
import TestSupport
@testable import UNetKit

/// Every other op, forward and backward through autograd, against PyTorch's fixtures.
final class OpsParityTests: XCTestCase {
    private func f(_ name: String) throws -> Tensor { try OpsFixtures.tensor(name) }

    /// Runs `op` on leaves made from the case's inputs, back-propagates the case's `gy`,
    /// and compares y and every input gradient.
    private func check(_ name: String, inputs: [String], tolerance: Tolerance = .op,
                       file: StaticString = #filePath, line: UInt = #line,
                       _ op: ([Variable]) throws -> Variable) throws {
        let leaves = try inputs.map { Variable(try f("\(name).\($0)"), requiresGrad: true) }
        let y = try op(leaves)
        assertClose(y.value, try f("\(name).y"), tolerance, "\(name) y", file: file, line: line)
        try y.backward(gradient: try f("\(name).gy"))
        for (input, leaf) in zip(inputs, leaves) {
            guard let grad = leaf.grad else { XCTFail("\(name): no gradient for \(input)", file: file, line: line); continue }
            assertClose(grad, try f("\(name).g\(input)"), tolerance, "\(name) d\(input)", file: file, line: line)
        }
    }

    func testMaxPool2d() throws {
        try check("max_pool2d.even", inputs: ["x"]) { try maxPool2d($0[0]) }
        try check("max_pool2d.odd", inputs: ["x"]) { try maxPool2d($0[0]) }
    }

    func testReLUAndSigmoid() throws {
        try check("relu", inputs: ["x"]) { $0[0].relu() }
        try check("sigmoid", inputs: ["x"]) { $0[0].sigmoid() }
    }

    func testBilinearUpsamplingAlignCorners() throws {
        try check("upsample.a", inputs: ["x"]) { try upsampleBilinear($0[0], scaleFactor: 2) }
        try check("upsample.b", inputs: ["x"]) { try upsampleBilinear($0[0], scaleFactor: 2) }
    }

    func testPadAndCrop() throws {
        try check("pad.grow", inputs: ["x"]) { try pad2d($0[0], left: 1, right: 2, top: 0, bottom: 1) }
        try check("pad.crop", inputs: ["x"]) { try pad2d($0[0], left: -1, right: 0, top: -1, bottom: -2) }
    }

    func testConcatenationAdditionPermutation() throws {
        try check("cat", inputs: ["a", "b"]) { try concatChannels($0) }
        try check("add", inputs: ["a", "b"]) { try $0[0] + $0[1] }
        try check("permute", inputs: ["x"]) { try $0[0].permuted([0, 3, 1, 2]) }
    }

    func testBatchNormTrainingAndEvaluation() throws {
        for (name, training) in [("batch_norm.train", true), ("batch_norm.eval", false)] {
            var mean = try f("\(name).running_mean_before"), variance = try f("\(name).running_var_before")
            try check(name, inputs: ["x", "w", "b"]) {
                try batchNorm2d($0[0], weight: $0[1], bias: $0[2], runningMean: &mean, runningVar: &variance,
                                training: training)
            }
            assertClose(mean, try f("\(name).running_mean_after"), .op, "\(name) running_mean")
            assertClose(variance, try f("\(name).running_var_after"), .op, "\(name) running_var")
        }
    }

    func testBinaryCrossEntropyWithClamp() throws {
        for name in ["bce.random", "bce.clamp"] {
            let t = try f("\(name).t")
            try check(name, inputs: ["p"], tolerance: Tolerance(absolute: 1e-5, relative: 1e-5)) {
                try binaryCrossEntropy($0[0], t)
            }
        }
        // Exact 0 and 1 probabilities stay finite: each clamped log contributes 100.
        let clamped = try binaryCrossEntropy(Variable(try f("bce.clamp.p")), try f("bce.clamp.t"))
        XCTAssertTrue(clamped.value.scalars[0].isFinite)
    }

    func testSGDMomentumAndWeightDecay() throws {
        let p = Variable(try f("sgd.p0"), requiresGrad: true)
        let sgd = SGD([p], lr: 0.1, momentum: 0.9, weightDecay: 0.05)
        for step in 1...2 {
            p.grad = try f("sgd.g\(step)")
            sgd.step()
            assertClose(p.value, try f("sgd.p\(step)"), .op, "after step \(step)")
        }
    }

    func testShapeErrorsNameExpectedAndActual() throws {
        let a = Variable(Tensor(zeros: [2, 3, 4, 5])), b = Variable(Tensor(zeros: [2, 3, 4, 6]))
        XCTAssertThrowsError(try concatChannels([a, b])) {
            XCTAssertTrue("\($0)".contains("Expected size 5 but got size 6 for tensor number 1"), "\($0)")
        }
        XCTAssertThrowsError(try a + b) { XCTAssertTrue("\($0)".contains("[2, 3, 4, 5]") && "\($0)".contains("[2, 3, 4, 6]")) }
        XCTAssertThrowsError(try binaryCrossEntropy(a, Tensor(zeros: [2, 3]))) {
            XCTAssertTrue("\($0)".contains("target size ([2, 3])"), "\($0)")
        }
        XCTAssertThrowsError(try binaryCrossEntropy(Variable(Tensor(repeating: 2, shape: [3])), Tensor(zeros: [3]))) {
            XCTAssertTrue("\($0)".contains("between 0 and 1"), "\($0)")
        }
        XCTAssertThrowsError(try maxPool2d(Variable(Tensor(zeros: [1, 1, 1, 4])))) {
            XCTAssertTrue("\($0)".contains("[1, 1, 1, 4]"), "\($0)")
        }
        XCTAssertThrowsError(try Tensor(zeros: [2, 3]).reshaped([4, -1])) {
            XCTAssertTrue("\($0)".contains("invalid for input of size 6"), "\($0)")
        }
        XCTAssertThrowsError(try Tensor(shape: [2, 2], scalars: [1, 2, 3])) {
            XCTAssertTrue("\($0)".contains("needs 4 scalars, but got 3"), "\($0)")
        }
        var mean = Tensor(zeros: [3]), variance = Tensor(zeros: [3])
        XCTAssertThrowsError(try batchNorm2d(Variable(Tensor(zeros: [2, 4, 2, 2])), weight: Variable(Tensor(zeros: [3])),
                                             bias: Variable(Tensor(zeros: [3])), runningMean: &mean,
                                             runningVar: &variance, training: true)) {
            XCTAssertTrue("\($0)".contains("expected weight of shape [4]"), "\($0)")
        }
    }
}
