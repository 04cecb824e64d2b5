import XCTest
import TestSupport
import UNetKit
import SegmentationModels

/// Seed 002's UNet against its PyTorch twin and the seed's printed parameter count.
final class OCTAUNetTests: XCTestCase {
    func testParameterCountAsTheSeedPrints() throws {
        let net = OCTAUNet(inChannels: 1, classes: 2)
        XCTAssertEqual(net.parameterCount, try pyTorchParameterCount("octa_unet.in1"))
        XCTAssertEqual(net.parameterCount, 39_398_274, "the seed's torchinfo total")
        XCTAssertEqual(OCTAUNet(inChannels: 3).parameterCount, try pyTorchParameterCount("octa_unet.in3"))
        // The table's 8,389,120 parameters of the first transposed convolution (1024 → 512, k4).
        XCTAssertEqual(net.up4.transconv.parameterCount, 8_389_120)
        let names = net.namedParameters().map(\.0)
        for key in ["down1.conv1.weight", "down4.bn2.bias", "conv1.weight", "bn2.weight", "up4.transconv.weight",
                    "up1.conv2.bias", "outconv.weight"] {
            XCTAssertTrue(names.contains(key), key)
        }
    }

    /// Base 2 on 2×1×32×32.
    func testMatchesPyTorchInEvaluationAndTraining() throws {
        try assertMatchesPyTorchTwin("octa_unet", OCTAUNet(inChannels: 1, classes: 2, base: 2))
    }

    func testBadInputsNameTheNetwork() {
        let net = OCTAUNet(inChannels: 1, classes: 2, base: 2)
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 3, 32, 32])))) {
            XCTAssertTrue("\($0)".contains("OCTAUNet (seed 002's UNet) expected input[1, 3, 32, 32] to have 1 channels"), "\($0)")
        }
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 1, 40, 32])))) {
            XCTAssertTrue("\($0)".contains("multiples of 16"), "\($0)")
        }
    }
}
