import XCTest
import TestSupport
import UNetKit
import SegmentationModels

/// SA-UNet (seed 000) against its PyTorch twin.
final class SAUNetTests: XCTestCase {
    func testParameterCountsAndNamesAsPyTorch() throws {
        let net = SAUNet(inChannels: 3)
        XCTAssertEqual(net.parameterCount, try pyTorchParameterCount("sa_unet.in3"))
        XCTAssertEqual(SAUNet(inChannels: 1).parameterCount, try pyTorchParameterCount("sa_unet.in1"))
        let names = net.namedParameters().map(\.0)
        for key in ["enc1.0.conv.weight", "enc3.1.bn.bias", "bottleneck1.conv.weight", "attention.conv.weight",
                    "up3.weight", "dec1.1.conv.bias", "head.weight"] {
            XCTAssertTrue(names.contains(key), key)
        }
        XCTAssertEqual(net.attention.conv.weight.shape, [1, 2, 7, 7])
        XCTAssertEqual(net.up3.outputPadding, 1)
        XCTAssertEqual(net.enc1.layers.compactMap { ($0 as? SAUnit)?.dropBlock.p }, [0.18, 0.18])
    }

    /// Width 4 on 2×3×16×16 (DropBlock p = 0, block 1 so it fits the 2×2 bottleneck).
    func testMatchesPyTorchInEvaluationAndTraining() throws {
        let net = SAUNet(inChannels: 3, width: 4, blockSize: 1, dropBlockP: 0)
        try assertMatchesPyTorchTwin("sa_unet", net)
        XCTAssertEqual(try withoutGradients { try net(Variable(NetworkFixtures.tensor("sa_unet.x"))) }.shape, [2, 1, 16, 16])
    }

    func testBadInputsNameTheNetwork() {
        let net = SAUNet(inChannels: 3, width: 2, blockSize: 3)
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 1, 24, 24])))) {
            XCTAssertTrue("\($0)".contains("SA-UNet expected input[1, 1, 24, 24] to have 3 channels, but got 1"), "\($0)")
        }
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 3, 28, 24])))) {
            XCTAssertTrue("\($0)".contains("SA-UNet halves the image 3 times"), "\($0)")
        }
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 3, 16, 16])))) {
            XCTAssertTrue("\($0)".contains("at least 24"), "\($0)")
        }
    }
}
