import XCTest
import TestSupport
@testable import UNetKit

/// The fused BatchNorm + ReLU op against the two ops it replaces (themselves checked against
/// PyTorch in OpsParityTests), in training and evaluation mode.
final class BatchNormReLUTests: XCTestCase {
    func testFusedOpMatchesBatchNormThenReLU() throws {
        // Odd plane sizes exercise the 8-wide loops' tails; a large one their 512-value blocks.
        for (k, shape) in [[3, 5, 7, 9], [2, 4, 40, 33], [1, 3, 1, 2]].enumerated() {
            for training in [true, false] {
                let c = shape[1]
                let x = randomTensor(shape, seed: UInt64(100 + k), scale: 3)
                let gamma = randomTensor([c], seed: UInt64(110 + k)), beta = randomTensor([c], seed: UInt64(120 + k))
                let startMean = randomTensor([c], seed: UInt64(130 + k))
                let startVar = Tensor(shape: [c]) { Float(1 + $0[0]) }
                let dy = randomTensor(shape, seed: UInt64(140 + k))

                func run(fused: Bool) throws -> (y: Tensor, grads: [Tensor], mean: Tensor, variance: Tensor) {
                    let (input, w, b) = (Variable(x, requiresGrad: true), Variable(gamma, requiresGrad: true),
                                         Variable(beta, requiresGrad: true))
                    var (mean, variance) = (startMean, startVar)
                    let y = fused
                        ? try batchNorm2dReLU(input, weight: w, bias: b, runningMean: &mean, runningVar: &variance, training: training)
                        : try batchNorm2d(input, weight: w, bias: b, runningMean: &mean, runningVar: &variance, training: training).relu()
                    try y.backward(gradient: dy)
                    return (y.value, [input.grad!, w.grad!, b.grad!], mean, variance)
                }
                let (fused, reference) = (try run(fused: true), try run(fused: false))
                let what = "\(shape) training \(training)"
                assertClose(fused.y, reference.y, .op, "y \(what)")
                for (name, pair) in zip(["dx", "dγ", "dβ"], zip(fused.grads, reference.grads)) {
                    assertClose(pair.0, pair.1, .op, "\(name) \(what)")
                }
                assertClose(fused.mean, reference.mean, .op, "running mean \(what)")
                assertClose(fused.variance, reference.variance, .op, "running var \(what)")
                XCTAssertGreaterThan(fused.y.scalars.filter { $0 == 0 }.count, 0, "ReLU cut nothing: \(what)")
            }
        }
    }

    /// `Sequential` fuses a BatchNorm2d → ReLU pair and gives what the unfused layers give.
    func testSequentialFusionChangesNothing() throws {
        manualSeed(3)
        let net = Sequential(Conv2d(2, 8, kernelSize: 3, padding: 1), BatchNorm2d(8), ReLU())
        let x = randomTensor([2, 2, 6, 6], seed: 7)
        let fused = try net(Variable(x))
        net.fusesBatchNormReLU = false
        let plain = try net(Variable(x))
        assertClose(fused.value, plain.value, .op, "fused vs unfused")
        XCTAssertEqual((net.layers[1] as! BatchNorm2d).numBatchesTracked, 2)
    }

    /// In evaluation without gradients `Sequential` runs Conv2d → BatchNorm2d → ReLU as one op
    /// (Winograd for ≥ 8 channels, im2col otherwise); the result is the three layers' result.
    func testEvaluationFusionOfConvolutionBatchNormReLU() throws {
        let saved = WinogradTiling.minimumTilesPerCall
        WinogradTiling.minimumTilesPerCall = 0     // these small images would go to im2col otherwise
        defer { WinogradTiling.minimumTilesPerCall = saved }
        for inChannels in [3, 8] {
            manualSeed(4)
            let net = Sequential(Conv2d(inChannels, 16, kernelSize: 3, padding: 1), BatchNorm2d(16), ReLU(),
                                 Conv2d(16, 8, kernelSize: 3, padding: 1), BatchNorm2d(8), ReLU())
            let x = randomTensor([3, inChannels, 9, 11], seed: 8)
            for _ in 0..<3 { _ = try net(Variable(x)) }      // training mode: running statistics move off 0 and 1
            net.eval()
            let fused = try withoutGradients { try net(Variable(x)) }
            net.fusesBatchNormReLU = false
            let plain = try withoutGradients { try net(Variable(x)) }
            assertClose(fused.value, plain.value, .op, "fused vs unfused, \(inChannels) input channels")
            XCTAssertGreaterThan(plain.value.scalars.filter { $0 == 0 }.count, 0)
        }
    }
}
