import XCTest
import TestSupport
import UNetKit
import SegmentationModels

/// Seed 001's Keras U-Net against its PyTorch twin.
final class KerasUNetTests: XCTestCase {
    func testParameterCountsAndNamesAsPyTorch() throws {
        let net = KerasUNet(inChannels: 1, classes: 1)
        XCTAssertEqual(net.parameterCount, try pyTorchParameterCount("keras_unet.in1"))
        XCTAssertEqual(KerasUNet(inChannels: 3).parameterCount, try pyTorchParameterCount("keras_unet.in3"))
        let names = net.namedParameters().map(\.0)
        for key in ["conv1.0.weight", "conv5.2.bias", "up6.conv.weight", "conv9.4.weight", "conv10.bias"] {
            XCTAssertTrue(names.contains(key), key)
        }
        XCTAssertEqual(net.up6.conv.weight.shape, [512, 1024, 2, 2])
        XCTAssertEqual(net.drop4.p, 0.5)
    }

    /// he_normal: zero biases, weights within two standard deviations √(2/fan_in)/0.8796…
    func testStartsAsKerasHeNormal() {
        let net = KerasUNet(inChannels: 1, classes: 1, base: 4, seed: 7)
        for (name, p) in net.namedParameters() {
            if name.hasSuffix("bias") {
                XCTAssertTrue(p.value.scalars.allSatisfy { $0 == 0 }, name)
            } else {
                let limit = Float(2 * heNormalStandardDeviation(fanIn: p.shape.dropFirst().reduce(1, *)))
                XCTAssertTrue(p.value.scalars.allSatisfy { abs($0) <= limit }, name)
            }
        }
        XCTAssertEqual(KerasUNet(base: 4, seed: 7).conv1.namedParameters()[0].1.value.scalars,
                       net.conv1.namedParameters()[0].1.value.scalars, "seeded")
    }

    /// The one-op up-convolution (the default backend) reports its up-sampling and its convolution
    /// to the model summary as the layer-by-layer path (`.blas`) does: same rows, same shapes.
    func testSummaryListsTheFusedUpConvolutionsLayers() throws {
        let net = KerasUNet(inChannels: 1, classes: 1, base: 2)
        let fused = try modelSummary(net, input: [1, 1, 32, 32])
        for up in [net.up6, net.up7, net.up8, net.up9] { up.conv.backend = .blas }
        let layers = try modelSummary(net, input: [1, 1, 32, 32])
        XCTAssertEqual(fused.description, layers.description)
        XCTAssertTrue(fused.description.contains("UpsampleNearest"), fused.description)
        XCTAssertEqual(fused.rows.reduce(0) { $0 + $1.parameters }, net.parameterCount)
    }

    /// Base 2 on 2×1×32×32 (dropout p = 0 in training).
    func testMatchesPyTorchInEvaluationAndTraining() throws {
        let net = KerasUNet(inChannels: 1, classes: 1, base: 2, dropout: 0)
        try assertMatchesPyTorchTwin("keras_unet", net)
    }

    func testBadInputsNameTheNetwork() {
        let net = KerasUNet(inChannels: 1, classes: 1, base: 2)
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 2, 32, 32])))) {
            XCTAssertTrue("\($0)".contains("KerasUNet (seed 001's U-Net) expected input[1, 2, 32, 32] to have 1 channels"), "\($0)")
        }
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 1, 32, 24])))) {
            XCTAssertTrue("\($0)".contains("multiples of 16"), "\($0)")
        }
    }
}
